package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/**
 * {@code struct vfio_iommu_type1_info_dma_avail} of {@code linux/vfio.h}: capability id 3, 12 bytes; {@code avail}
 * is the number of mappings that may still be made (U32_MAX from iommufd's compat container).
 */
@FieldOrder({"header", "avail"})
public class VfioIommuType1InfoDmaAvail extends KernelStruct {
  public VfioInfoCapHeader header;
  public int avail;

  public VfioIommuType1InfoDmaAvail() {}

  public VfioIommuType1InfoDmaAvail(Pointer memory) {
    super(memory);
  }
}
