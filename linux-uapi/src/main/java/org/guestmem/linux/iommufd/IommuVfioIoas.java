package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_vfio_ioas} of {@code linux/iommufd.h}: 12 bytes, the argument of {@code IOMMU_VFIO_IOAS}. */
@FieldOrder({"size", "ioas_id", "op", "__reserved"})
public class IommuVfioIoas extends KernelStruct {
  public int size;
  public int ioas_id;
  public short op;
  public short __reserved;

  public IommuVfioIoas() {}

  /** A view of existing memory. */
  public IommuVfioIoas(Pointer memory) {
    super(memory);
  }
}
