package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.Ioctl;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iommu_type1_dma_map} of {@code linux/vfio.h}: 32 bytes, the argument of {@code VFIO_IOMMU_MAP_DMA}. */
@FieldOrder({"argsz", "flags", "vaddr", "iova", "size"})
public class VfioIommuType1DmaMap extends KernelStruct implements Ioctl.Arguments {
  /** Size of the struct the caller passes, in bytes (at least 32). */
  public int argsz;
  /** {@code VFIO_DMA_MAP_FLAG_*}: {@code READ} and/or {@code WRITE}, or {@code VADDR}. */
  public int flags;
  /** User address of the memory to map. */
  public long vaddr;
  /** IO virtual address the device will use. */
  public long iova;
  /** Length in bytes. */
  public long size;

  /** A struct in memory of its own, every field 0. */
  public VfioIommuType1DmaMap() {}

  /**
   * A view of existing memory (e.g. the head of a larger buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioIommuType1DmaMap(Pointer memory) {
    super(memory);
  }

  @Override
  public String describe() {
    return String.format("vaddr=0x%x iova=0x%x size=0x%x flags=0x%x", vaddr, iova, size, flags);
  }
}
