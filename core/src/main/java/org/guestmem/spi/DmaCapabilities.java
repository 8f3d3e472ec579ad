package org.guestmem.spi;

import java.util.List;

/**
 * What a {@link DmaBackend} supports, as the kernel reports it (or as the embedded model reproduces it).
 *
 * @param pageSizes bitmap of supported IOMMU page sizes ({@code iova_pgsizes}); the lowest set bit is the minimum
 *     mapping alignment
 * @param iovaRanges the usable IOVA ranges, ascending
 * @param remainingEntries how many more mappings may be made ({@code DMA_AVAIL}); {@link Long#MAX_VALUE} when the
 *     back-end has no entry limit
 * @param canSplit whether {@link DmaBackend#split(long)} works, so that one large mapping can later be unmapped in
 *     pieces
 * @param realKernel true when ioctls go to a real kernel, false for the embedded model
 * @param description a line saying which kernel path was chosen and why
 */
public record DmaCapabilities(
    long pageSizes,
    List<IovaRange> iovaRanges,
    long remainingEntries,
    boolean canSplit,
    boolean realKernel,
    String description) {

  public DmaCapabilities {
    iovaRanges = List.copyOf(iovaRanges);
  }

  /** The smallest supported IOMMU page size. */
  public long minPageSize() {
    return Long.lowestOneBit(pageSizes);
  }
}
