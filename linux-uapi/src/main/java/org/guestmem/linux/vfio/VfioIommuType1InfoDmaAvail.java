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
  /** The chain header; {@code id} is {@code VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL}. */
  public VfioInfoCapHeader header;
  /** How many more mappings the container accepts (unsigned). */
  public int avail;

  /** A struct in memory of its own, every field 0. */
  public VfioIommuType1InfoDmaAvail() {}

  /**
   * A view of existing memory (inside the info buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioIommuType1InfoDmaAvail(Pointer memory) {
    super(memory);
  }
}
