package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_unmap} of {@code linux/iommufd.h}: 24 bytes, the argument of {@code IOMMU_IOAS_UNMAP}; {@code length} out: bytes unmapped (not written on failure). */
@FieldOrder({"size", "ioas_id", "iova", "length"})
public class IommuIoasUnmap extends KernelStruct {
  public int size;
  public int ioas_id;
  public long iova;
  public long length;

  public IommuIoasUnmap() {}

  /** A view of existing memory. */
  public IommuIoasUnmap(Pointer memory) {
    super(memory);
  }
}
