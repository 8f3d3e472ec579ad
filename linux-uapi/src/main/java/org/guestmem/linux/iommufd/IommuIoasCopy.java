package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_copy} of {@code linux/iommufd.h}: 40 bytes, the argument of {@code IOMMU_IOAS_COPY}. */
@FieldOrder({"size", "flags", "dst_ioas_id", "src_ioas_id", "length", "dst_iova", "src_iova"})
public class IommuIoasCopy extends KernelStruct {
  public int size;
  public int flags;
  public int dst_ioas_id;
  public int src_ioas_id;
  public long length;
  public long dst_iova;
  public long src_iova;

  public IommuIoasCopy() {}

  /** A view of existing memory. */
  public IommuIoasCopy(Pointer memory) {
    super(memory);
  }
}
