package org.guestmem.spi;

/**
 * An IOVA range with an inclusive last address, as the kernel reports it ({@code vfio_iova_range.end},
 * {@code iommu_iova_range.last}).
 *
 * @param start first usable IOVA
 * @param last last usable IOVA, inclusive (unsigned, not below {@code start})
 */
public record IovaRange(long start, long last) {

  /**
   * Checks the order.
   *
   * @param start first usable IOVA
   * @param last last usable IOVA, inclusive (unsigned, not below {@code start})
   * @throws IllegalArgumentException if {@code start} is above {@code last} (unsigned)
   */
  public IovaRange {
    if (Long.compareUnsigned(start, last) > 0) {
      throw new IllegalArgumentException(
          String.format("IOVA range start 0x%x is above its last address 0x%x", start, last));
    }
  }

  /**
   * {@return whether {@code [iova, iova + length)} lies inside this range (unsigned arithmetic, no overflow)}
   *
   * @param iova first IOVA of the range asked about
   * @param length its length in bytes; an empty range is never inside
   */
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
