package org.guestmem.spi;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link DmaBackend} supports, as the kernel reports it (or as the embedded model reproduces it).
 *
 * @param pageSizes bitmap of supported IOMMU page sizes ({@code iova_pgsizes}, or iommufd's
 *     {@code out_iova_alignment}); the lowest set bit is the minimum mapping alignment
 * @param iovaRanges the usable IOVA ranges, ascending
 * @param remainingEntries how many more mappings may be made ({@code DMA_AVAIL}); {@link Long#MAX_VALUE} when the
 *     back-end has no entry limit
 * @param entryLimitSetting how to raise the entry limit (for type1 the module parameter
 *     {@code vfio_iommu_type1.dma_entry_limit}); empty when there is no limit
 * @param kernelBytesPerEntry kernel memory one mapping costs (96 B per type1 {@code vfio_dma}, 384 B per iommufd
 *     area, see docs/linux-uapi-facts.md, 3)
 * @param canCut whether {@link DmaBackend#cut} works, so that one large mapping can later be unmapped in pieces
 * @param cutLimitation empty when {@code canCut}; otherwise why this address space cannot cut, in the kernel's terms
 * @param realKernel true when ioctls go to a real kernel, false for the embedded model
 * @param description a line saying which kernel path was chosen and why: it names the provider and contains
 *     {@code real} when {@code realKernel} is true, {@code embedded} when it is false (see {@link DmaBackendProvider})
 */
public record DmaCapabilities(
    long pageSizes,
    List<IovaRange> iovaRanges,
    long remainingEntries,
    String entryLimitSetting,
    long kernelBytesPerEntry,
    boolean canCut,
    String cutLimitation,
    boolean realKernel,
    String description) {

  /**
   * Checks the components and copies the range list.
   *
   * @param pageSizes bitmap of supported IOMMU page sizes ({@code iova_pgsizes}, or iommufd's
   *     {@code out_iova_alignment}); the lowest set bit is the minimum mapping alignment
   * @param iovaRanges the usable IOVA ranges, ascending
   * @param remainingEntries how many more mappings may be made ({@code DMA_AVAIL}); {@link Long#MAX_VALUE} when the
   *     back-end has no entry limit
   * @param entryLimitSetting how to raise the entry limit (for type1 the module parameter
   *     {@code vfio_iommu_type1.dma_entry_limit}); empty when there is no limit
   * @param kernelBytesPerEntry kernel memory one mapping costs (96 B per type1 {@code vfio_dma}, 384 B per iommufd
   *     area, see docs/linux-uapi-facts.md, 3)
   * @param canCut whether {@link DmaBackend#cut} works, so that one large mapping can later be unmapped in pieces
   * @param cutLimitation empty when {@code canCut}; otherwise why this address space cannot cut, in the kernel's terms
   * @param realKernel true when ioctls go to a real kernel, false for the embedded model
   * @param description a line saying which kernel path was chosen and why: it names the provider and contains
   *     {@code real} when {@code realKernel} is true, {@code embedded} when it is false (see
   *     {@link DmaBackendProvider})
   * @throws IllegalArgumentException if {@code pageSizes} is 0, or {@code cutLimitation} is empty when {@code canCut}
   *     is false or not empty when it is true
   * @throws NullPointerException if a string or the range list is null
   */
  public DmaCapabilities {
    iovaRanges = List.copyOf(iovaRanges);
    Objects.requireNonNull(entryLimitSetting, "entryLimitSetting");
    Objects.requireNonNull(cutLimitation, "cutLimitation");
    Objects.requireNonNull(description, "description");
    if (pageSizes == 0) {
      throw new IllegalArgumentException("page-size bitmap must not be empty");
    }
    if (canCut != cutLimitation.isEmpty()) {
      throw new IllegalArgumentException("cutLimitation must be empty exactly when canCut is true");
    }
  }

  /** {@return the smallest supported IOMMU page size} */
  public long minPageSize() {
    return Long.lowestOneBit(pageSizes);
  }

  /**
   * {@return whether {@code [iova, iova + length)} lies inside one usable IOVA range}
   *
   * @param iova first IOVA of the range
   * @param length length of the range in bytes
   */
  public boolean iovaUsable(long iova, long length) {
    for (IovaRange r : iovaRanges) {
      if (r.contains(iova, length)) {
        return true;
      }
    }
    return false;
  }
}
