package org.guestmem.bench.store;

import java.util.Arrays;

/** Baseline: a sorted {@code long[]} of the blocks where the state flips (block 0 private); sets move memory. */
final class SortedArraySubject implements RunSubject {
  private final long blocks;
  private long[] flips = new long[16];
  private int n;

  SortedArraySubject(long blocks) {
    this.blocks = blocks;
  }

  void trim() {
    flips = Arrays.copyOf(flips, n);
  }

  /** Number of flips at or before {@code p}. */
  private int rank(long p) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (flips[mid] <= p) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public long blocks() {
    return blocks;
  }

  @Override
  public void set(long from, long to, int state) {
    int a = rank(from - 1); // flips before from stay
    int b = rank(to); // flips after to stay
    boolean flipAtFrom = from > 0 && (a & 1) != state;
    boolean flipAtTo = to < blocks && (b & 1) != state;
    int keep = n - b;
    int added = (flipAtFrom ? 1 : 0) + (flipAtTo ? 1 : 0);
    int size = a + added + keep;
    if (size > flips.length) {
      flips = Arrays.copyOf(flips, Math.max(size, flips.length + (flips.length >> 1)));
    }
    System.arraycopy(flips, b, flips, a + added, keep);
    int i = a;
    if (flipAtFrom) {
      flips[i++] = from;
    }
    if (flipAtTo) {
      flips[i] = to;
    }
    n = size;
  }

  @Override
  public int get(long block) {
    return rank(block) & 1;
  }

  @Override
  public long nextChange(long block) {
    int i = rank(block);
    return i < n ? flips[i] : blocks;
  }

  @Override
  public long iterate(long from, int runs) {
    long sum = 0;
    long p = from;
    int i = rank(from);
    for (int r = 0; r < runs; r++) {
      long e = i < n ? flips[i] : blocks;
      sum += 1 + (e - p) * (i & 1);
      if (e >= blocks) {
        p = 0;
        i = 0;
      } else {
        p = e;
        i++;
      }
    }
    return sum;
  }

  @Override
  public Object retained() {
    return flips;
  }
}
