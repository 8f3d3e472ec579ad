package org.guestmem.dma.type1;

import java.util.List;
import org.guestmem.dma.backend.DmaKernel;
import org.guestmem.spi.IovaRange;

/**
 * One VFIO container after {@code VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)}, at the level of its ioctls: the real kernel
 * ({@link LinuxType1Container}) or the embedded model ({@link Type1KernelModel}). {@link Type1Backend} keeps its
 * ledger on top of either.
 */
interface Type1Container extends DmaKernel {

  /** What {@code VFIO_IOMMU_GET_INFO} reports. */
  record Info(long iovaPgsizes, List<IovaRange> iovaRanges, long dmaAvail) {}

  /** {@code VFIO_IOMMU_GET_INFO} with its capability chain. {@code dmaAvail} is -1 without DMA_AVAIL. */
  Info info();

  /** {@code VFIO_IOMMU_MAP_DMA}. */
  void mapDma(long vaddr, long iova, long size, int flags);

  /** {@code VFIO_IOMMU_UNMAP_DMA}; returns the {@code size} written back (bytes unmapped). */
  long unmapDma(long iova, long size, int flags);

  /** {@code VFIO_CHECK_EXTENSION(VFIO_UNMAP_ALL)}. */
  boolean hasUnmapAll();
}
