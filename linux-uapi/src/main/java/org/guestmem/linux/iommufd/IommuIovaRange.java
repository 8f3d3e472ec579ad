package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_iova_range} of {@code linux/iommufd.h}: 16 bytes, {@code last} inclusive. */
@FieldOrder({"start", "last"})
public class IommuIovaRange extends KernelStruct {
  public long start;
  public long last;

  public IommuIovaRange() {}

  /** A view of existing memory. */
  public IommuIovaRange(Pointer memory) {
    super(memory);
  }
}
