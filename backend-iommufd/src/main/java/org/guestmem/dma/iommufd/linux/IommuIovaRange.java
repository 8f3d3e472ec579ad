package org.guestmem.dma.iommufd.linux;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.dma.type1.linux.KernelStruct;

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
