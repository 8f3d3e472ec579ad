package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_map_file} of {@code linux/iommufd.h}: 40 bytes, the argument of {@code IOMMU_IOAS_MAP_FILE}. */
@FieldOrder({"size", "flags", "ioas_id", "fd", "start", "length", "iova"})
public class IommuIoasMapFile extends KernelStruct {
  public int size;
  public int flags;
  public int ioas_id;
  public int fd;
  public long start;
  public long length;
  public long iova;

  public IommuIoasMapFile() {}

  /** A view of existing memory. */
  public IommuIoasMapFile(Pointer memory) {
    super(memory);
  }
}
