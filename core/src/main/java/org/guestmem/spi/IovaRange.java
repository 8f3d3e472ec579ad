package org.guestmem.spi;

/**
 * An IOVA range with an inclusive last address, as the kernel reports it ({@code vfio_iova_range.end},
 * {@code iommu_iova_range.last}).
 */
public record IovaRange(long start, long last) {

  public IovaRange {
    if (Long.compareUnsigned(start, last) > 0) {
      throw new IllegalArgumentException(
          String.format("IOVA range start 0x%x is above its last address 0x%x", start, last));
    }
  }

  /** Whether {@code [iova, iova + length)} lies inside this range (unsigned arithmetic, no overflow). */
  public boolean contains(long iova, long length) {
    if (length == 0) {
      return false;
    }
    long lastByte = iova + length - 1;
    return Long.compareUnsigned(lastByte, iova) >= 0
        && Long.compareUnsigned(iova, start) >= 0
        && Long.compareUnsigned(lastByte, last) <= 0;
  }
}
