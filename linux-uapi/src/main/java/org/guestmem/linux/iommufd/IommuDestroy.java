package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_destroy} of {@code linux/iommufd.h}: 8 bytes, the argument of {@code IOMMU_DESTROY}. */
@FieldOrder({"size", "id"})
public class IommuDestroy extends KernelStruct {
  public int size;
  public int id;

  public IommuDestroy() {}

  /** A view of existing memory. */
  public IommuDestroy(Pointer memory) {
    super(memory);
  }
}
