package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_alloc} of {@code linux/iommufd.h}: 12 bytes, the argument of {@code IOMMU_IOAS_ALLOC}; {@code flags} must be 0. */
@FieldOrder({"size", "flags", "out_ioas_id"})
public class IommuIoasAlloc extends KernelStruct {
  public int size;
  public int flags;
  public int out_ioas_id;

  public IommuIoasAlloc() {}

  /** A view of existing memory. */
  public IommuIoasAlloc(Pointer memory) {
    super(memory);
  }
}
