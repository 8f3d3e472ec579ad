package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.Ioctl;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_unmap} of {@code linux/iommufd.h}: 24 bytes, the argument of {@code IOMMU_IOAS_UNMAP}; {@code length} out: bytes unmapped (not written on failure). */
@FieldOrder({"size", "ioas_id", "iova", "length"})
public class IommuIoasUnmap extends KernelStruct implements Ioctl.Arguments {
  /** Size of the struct the caller passes, in bytes. */
  public int size;
  /** The IOAS to unmap from. */
  public int ioas_id;
  /** IO virtual address of the range to unmap. */
  public long iova;
  /** In: length of the range in bytes; out: the bytes unmapped. */
  public long length;

  /** A struct in memory of its own, every field 0. */
  public IommuIoasUnmap() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuIoasUnmap(Pointer memory) {
    super(memory);
  }

  @Override
  public String describe() {
    return String.format("ioas_id=%d iova=0x%x length=0x%x", ioas_id, iova, length);
  }
}
