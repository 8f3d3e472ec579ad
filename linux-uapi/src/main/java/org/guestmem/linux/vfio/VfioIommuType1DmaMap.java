package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iommu_type1_dma_map} of {@code linux/vfio.h}: 32 bytes, the argument of {@code VFIO_IOMMU_MAP_DMA}. */
@FieldOrder({"argsz", "flags", "vaddr", "iova", "size"})
public class VfioIommuType1DmaMap extends KernelStruct {
  public int argsz;
  public int flags;
  public long vaddr;
  public long iova;
  public long size;

  public VfioIommuType1DmaMap() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioIommuType1DmaMap(Pointer memory) {
    super(memory);
  }
}
