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
    if (below(last, start)) {
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
    if (length == 0 || wraps(iova, length)) {
      return false;
    }
    return atOrBelow(start, iova) && atOrBelow(lastOf(iova, length), last);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Unsigned helpers on plain longs, for hot paths that must not allocate a range per call

  /**
   * The last byte of {@code [first, first + length)}, inclusive: where a length (as the ioctls take it) becomes an
   * inclusive last address (as ranges are kept).
   *
   * @param first first IOVA of the range
   * @param length its length in bytes, non-zero (unsigned)
   * @return {@code first + length - 1}, modulo 2^64
   */
  public static long lastOf(long first, long length) {
    return first + length - 1;
  }

  /**
   * The length of {@code [first, last]} in bytes: the inverse of {@link #lastOf}.
   *
   * @param first first IOVA of the range
   * @param last last IOVA of the range, inclusive, not below {@code first} (unsigned)
   * @return {@code last - first + 1}, modulo 2^64 (0 for the whole 64-bit space)
   */
  public static long lengthOf(long first, long last) {
    return last - first + 1;
  }

  /**
   * Whether {@code [first, first + length)} runs past the top of the 64-bit space: its last byte, {@link #lastOf},
   * is below its first (unsigned).
   *
   * @param first first address of the range
   * @param length its length in bytes, non-zero (unsigned)
   * @return whether the range wraps
   */
  public static boolean wraps(long first, long length) {
    return below(lastOf(first, length), first);
  }

  /**
   * Whether {@code [first, last]} and {@code [otherFirst, otherLast]} (both inclusive, unsigned) share an address.
   *
   * @param first first IOVA of one range
   * @param last last IOVA of that range, inclusive
   * @param otherFirst first IOVA of the other range
   * @param otherLast last IOVA of the other range, inclusive
   * @return whether they overlap
   */
  public static boolean overlaps(long first, long last, long otherFirst, long otherLast) {
    return atOrBelow(first, otherLast) && atOrBelow(otherFirst, last);
  }

  /**
   * Whether address {@code a} is below {@code b}, unsigned.
   *
   * @param a an address
   * @param b another address
   * @return {@code a < b} as unsigned values
   */
  public static boolean below(long a, long b) {
    return Long.compareUnsigned(a, b) < 0;
  }

  /**
   * Whether address {@code a} is at or below {@code b}, unsigned.
   *
   * @param a an address
   * @param b another address
   * @return {@code a <= b} as unsigned values
   */
  public static boolean atOrBelow(long a, long b) {
    return Long.compareUnsigned(a, b) <= 0;
  }

  /**
   * The lower of two addresses, unsigned: where a range is clipped at its last address.
   *
   * @param a an address
   * @param b another address
   * @return the one that is lower as an unsigned value
   */
  public static long lower(long a, long b) {
    return below(b, a) ? b : a;
  }

  /**
   * The higher of two addresses, unsigned: where a range is clipped at its first address.
   *
   * @param a an address
   * @param b another address
   * @return the one that is higher as an unsigned value
   */
  public static long higher(long a, long b) {
    return below(a, b) ? b : a;
  }
}
