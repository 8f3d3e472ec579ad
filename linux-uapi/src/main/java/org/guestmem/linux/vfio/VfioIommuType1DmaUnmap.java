package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.Ioctl;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iommu_type1_dma_unmap} of {@code linux/vfio.h}: 24 bytes (then {@code u8 data[]}, used only with {@code GET_DIRTY_BITMAP}), the argument of {@code VFIO_IOMMU_UNMAP_DMA}; {@code size} is written back with the bytes unmapped. */
@FieldOrder({"argsz", "flags", "iova", "size"})
public class VfioIommuType1DmaUnmap extends KernelStruct implements Ioctl.Arguments {
  /** Size of the struct the caller passes, in bytes (at least 24). */
  public int argsz;
  /** {@code VFIO_DMA_UNMAP_FLAG_*}: none, {@code ALL}, {@code VADDR} or {@code GET_DIRTY_BITMAP}. */
  public int flags;
  /** IO virtual address of the range to unmap. */
  public long iova;
  /** In: length of the range in bytes; out: the bytes unmapped. */
  public long size;

  /** A struct in memory of its own, every field 0. */
  public VfioIommuType1DmaUnmap() {}

  /**
   * A view of existing memory (e.g. the head of a larger buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioIommuType1DmaUnmap(Pointer memory) {
    super(memory);
  }

  /**
   * {@code VFIO_IOMMU_UNMAP_DMA} on {@code fd} (a type1 container, or an iommufd through its VFIO-compat path) with
   * this struct, which a caller may keep and reuse from call to call: every field is set here.
   *
   * @param fd the container or iommufd
   * @param iova IO virtual address of the range
   * @param length length of the range in bytes
   * @param unmapFlags {@code VFIO_DMA_UNMAP_FLAG_*}
   * @param arguments describes the call if it fails: this struct, or one that says which path the call took first
   * @return the {@code size} written back: the bytes unmapped
   * @throws org.guestmem.spi.DmaException with the kernel's errno
   */
  public long unmapDma(int fd, long iova, long length, int unmapFlags, Ioctl.Arguments arguments) {
    argsz = size();
    flags = unmapFlags;
    this.iova = iova;
    size = length;
    Ioctl.call(fd, Vfio.VFIO_IOMMU_UNMAP_DMA, "VFIO_IOMMU_UNMAP_DMA", this, arguments);
    return size;
  }

  @Override
  public String describe() {
    return String.format("iova=0x%x size=0x%x flags=0x%x", iova, size, flags);
  }
}
