package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.Ioctl;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iommu_type1_dma_unmap} of {@code linux/vfio.h}: 24 bytes (then {@code u8 data[]}, used only with {@code GET_DIRTY_BITMAP}), the argument of {@code VFIO_IOMMU_UNMAP_DMA}; {@code size} is written back with the bytes unmapped. */
@FieldOrder({"argsz", "flags", "iova", "size"})
public class VfioIommuType1DmaUnmap extends KernelStruct {
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
   * {@code VFIO_IOMMU_UNMAP_DMA} on {@code fd}: a type1 container, or an iommufd through its VFIO-compat path.
   *
   * @param via said before the arguments when the call fails ({@code ""} or e.g. {@code "iommufd compat "})
   * @param fd the container or iommufd
   * @param iova IO virtual address of the range
   * @param size length of the range in bytes
   * @param flags {@code VFIO_DMA_UNMAP_FLAG_*}
   * @return the {@code size} written back: the bytes unmapped
   * @throws org.guestmem.spi.DmaException with the kernel's errno
   */
  public static long unmapDma(int fd, long iova, long size, int flags, String via) {
    VfioIommuType1DmaUnmap unmap = new VfioIommuType1DmaUnmap();
    unmap.argsz = unmap.size();
    unmap.flags = flags;
    unmap.iova = iova;
    unmap.size = size;
    Ioctl.call(fd, Vfio.VFIO_IOMMU_UNMAP_DMA, "VFIO_IOMMU_UNMAP_DMA", unmap,
        String.format("%siova=0x%x size=0x%x flags=0x%x", via, iova, size, flags));
    return unmap.size;
  }
}
