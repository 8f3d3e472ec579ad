package org.guestmem.dma.iommufd;

import java.util.List;
import org.guestmem.dma.backend.DmaKernel;
import org.guestmem.spi.IovaRange;

/**
 * One iommufd file descriptor with one IOAS, at the level of its ioctls: the real kernel ({@link LinuxIommufd}) or
 * the embedded model ({@link IommufdKernelModel}). {@link IommufdBackend} keeps its ledger on top of either.
 */
interface IommufdContext extends DmaKernel {

  /** What {@code IOMMU_IOAS_IOVA_RANGES} reports. */
  record Ranges(List<IovaRange> ranges, long alignment) {}

  /** {@code IOMMU_IOAS_IOVA_RANGES} of the IOAS. */
  Ranges iovaRanges();

  /** {@code IOMMU_IOAS_MAP} with {@code IOMMU_IOAS_MAP_FIXED_IOVA}. */
  void map(long userVa, long length, long iova, int flags);

  /** {@code IOMMU_IOAS_MAP_FILE} with {@code IOMMU_IOAS_MAP_FIXED_IOVA}: file {@code fd} from byte {@code start}. */
  void mapFile(int fd, long start, long length, long iova, int flags);

  /** {@code IOMMU_IOAS_UNMAP}; returns the {@code length} written back. */
  long unmap(long iova, long length);

  /** {@code VFIO_IOMMU_UNMAP_DMA} on the iommufd (the compat path); returns the {@code size} written back. */
  long compatUnmap(long iova, long size, int flags);

  /** Whether {@code IOMMU_OPTION_HUGE_PAGES} is 0 on the IOAS and the IOAS is the compat IOAS, so unmaps cut. */
  boolean cutsEnabled();

  /** Whether a device (a domain) is attached, which makes maps pin. */
  boolean domainAttached();
}
