package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.Ioctl;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_map_file} of {@code linux/iommufd.h}: 40 bytes, the argument of {@code IOMMU_IOAS_MAP_FILE}. */
@FieldOrder({"size", "flags", "ioas_id", "fd", "start", "length", "iova"})
public class IommuIoasMapFile extends KernelStruct implements Ioctl.Arguments {
  /** Size of the struct the caller passes, in bytes. */
  public int size;
  /** {@code IOMMU_IOAS_MAP_*}: {@code READABLE} and/or {@code WRITEABLE}, and {@code FIXED_IOVA}. */
  public int flags;
  /** The IOAS to map into. */
  public int ioas_id;
  /** The memfd whose pages are mapped. */
  public int fd;
  /** Offset in the file of the first byte to map. */
  public long start;
  /** Length in bytes. */
  public long length;
  /** In with {@code FIXED_IOVA}: the IO virtual address; otherwise out: the one the kernel picked. */
  public long iova;

  /** A struct in memory of its own, every field 0. */
  public IommuIoasMapFile() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuIoasMapFile(Pointer memory) {
    super(memory);
  }

  @Override
  public String describe() {
    return String.format("ioas_id=%d flags=0x%x fd=%d start=0x%x length=0x%x iova=0x%x", ioas_id, flags, fd, start,
        length, iova);
  }
}
