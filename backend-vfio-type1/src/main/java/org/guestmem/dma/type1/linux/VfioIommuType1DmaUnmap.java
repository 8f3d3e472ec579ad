package org.guestmem.dma.type1.linux;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;

/** {@code struct vfio_iommu_type1_dma_unmap} of {@code linux/vfio.h}: 24 bytes (then {@code u8 data[]}, used only with {@code GET_DIRTY_BITMAP}), the argument of {@code VFIO_IOMMU_UNMAP_DMA}; {@code size} is written back with the bytes unmapped. */
@FieldOrder({"argsz", "flags", "iova", "size"})
public class VfioIommuType1DmaUnmap extends KernelStruct {
  public int argsz;
  public int flags;
  public long iova;
  public long size;

  public VfioIommuType1DmaUnmap() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioIommuType1DmaUnmap(Pointer memory) {
    super(memory);
  }
}
