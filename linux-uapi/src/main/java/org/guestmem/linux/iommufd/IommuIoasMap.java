package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.Ioctl;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_map} of {@code linux/iommufd.h}: 40 bytes, the argument of {@code IOMMU_IOAS_MAP}; {@code iova} is an input with {@code IOMMU_IOAS_MAP_FIXED_IOVA}. */
@FieldOrder({"size", "flags", "ioas_id", "__reserved", "user_va", "length", "iova"})
public class IommuIoasMap extends KernelStruct implements Ioctl.Arguments {
  /** Size of the struct the caller passes, in bytes. */
  public int size;
  /** {@code IOMMU_IOAS_MAP_*}: {@code READABLE} and/or {@code WRITEABLE}, and {@code FIXED_IOVA}. */
  public int flags;
  /** The IOAS to map into. */
  public int ioas_id;
  /** Must be 0. */
  public int __reserved;
  /** User address of the memory to map. */
  public long user_va;
  /** Length in bytes. */
  public long length;
  /** In with {@code FIXED_IOVA}: the IO virtual address; otherwise out: the one the kernel picked. */
  public long iova;

  /** A struct in memory of its own, every field 0. */
  public IommuIoasMap() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuIoasMap(Pointer memory) {
    super(memory);
  }

  @Override
  public String describe() {
    return String.format("ioas_id=%d flags=0x%x user_va=0x%x length=0x%x iova=0x%x", ioas_id, flags, user_va, length,
        iova);
  }
}
