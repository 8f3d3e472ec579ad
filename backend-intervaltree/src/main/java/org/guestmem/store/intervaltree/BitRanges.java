package org.guestmem.store.intervaltree;

/**
 * Ranges of single bits in {@code long[]} words, bit {@code q} being bit {@code q & 63} of word {@code q >>> 6}:
 * what a bitmap leaf does with its one bit per block, a word at a time.
 */
final class BitRanges {
  private BitRanges() {}

  /** Sets bits {@code [lo, hi)} to {@code st}. */
  static void fill(long[] d, long lo, long hi, int st) {
    if (lo >= hi) {
      return;
    }
    int first = (int) (lo >>> 6);
    int last = (int) ((hi - 1) >>> 6);
    long firstMask = -1L << lo;
    long lastMask = lastWordMask(hi);
    if (first == last) {
      long m = firstMask & lastMask;
      d[first] = st == 1 ? d[first] | m : d[first] & ~m;
      return;
    }
    d[first] = st == 1 ? d[first] | firstMask : d[first] & ~firstMask;
    long all = st == 1 ? -1L : 0L;
    for (int w = first + 1; w < last; w++) {
      d[w] = all;
    }
    d[last] = st == 1 ? d[last] | lastMask : d[last] & ~lastMask;
  }

  /** Number of set bits in {@code [lo, hi)}. */
  static long popcount(long[] d, long lo, long hi) {
    if (lo >= hi) {
      return 0;
    }
    int first = (int) (lo >>> 6);
    int last = (int) ((hi - 1) >>> 6);
    long firstMask = -1L << lo;
    if (first == last) {
      return Long.bitCount(d[first] & firstMask & lastWordMask(hi));
    }
    long n = Long.bitCount(d[first] & firstMask) + Long.bitCount(d[last] & lastWordMask(hi));
    for (int w = first + 1; w < last; w++) {
      n += Long.bitCount(d[w]);
    }
    return n;
  }

  /** Number of bit positions q in {@code [lo, hi)}, {@code lo >= 1}, whose bit differs from bit q - 1. */
  static int transitions(long[] d, long lo, long hi) {
    if (lo >= hi) {
      return 0;
    }
    int first = (int) (lo >>> 6);
    int last = (int) ((hi - 1) >>> 6);
    int n = 0;
    for (int w = first; w <= last; w++) {
      long carry = w == 0 ? 0 : d[w - 1] >>> 63;
      long t = d[w] ^ (d[w] << 1 | carry);
      if (w == first) {
        t &= -1L << lo;
      }
      if (w == last) {
        t &= lastWordMask(hi);
      }
      n += Long.bitCount(t);
    }
    return n;
  }

  /** The first bit at or after {@code q}, {@code q} inside {@code d}, that differs from {@code st}; else d's end. */
  static long nextDiffering(long[] d, long q, int st) {
    long flip = st == 1 ? -1L : 0L;
    int w = (int) (q >>> 6);
    long x = (d[w] ^ flip) & (-1L << q);
    while (x == 0) {
      if (++w == d.length) {
        return (long) d.length << 6;
      }
      x = d[w] ^ flip;
    }
    return ((long) w << 6) + Long.numberOfTrailingZeros(x);
  }

  /** The bits of the word holding bit {@code hi - 1} at or below it. */
  private static long lastWordMask(long hi) {
    return -1L >>> (63 - ((hi - 1) & 63));
  }
}
