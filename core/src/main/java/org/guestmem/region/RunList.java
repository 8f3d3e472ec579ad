package org.guestmem.region;

import java.util.Arrays;

/**
 * A growable list of half-open block runs {@code [start, end)} kept in one primitive array: no object per run.
 * Appending a run that starts where the last one ends extends it, so the list stays maximal.
 */
final class RunList {
  private long[] bounds = new long[16];
  private int size;

  void add(long start, long end) {
    if (start >= end) {
      return;
    }
    if (size > 0 && bounds[2 * size - 1] == start) {
      bounds[2 * size - 1] = end;
      return;
    }
    if (2 * size == bounds.length) {
      bounds = Arrays.copyOf(bounds, bounds.length * 2);
    }
    bounds[2 * size] = start;
    bounds[2 * size + 1] = end;
    size++;
  }

  /** Empties the list, keeping its array for reuse unless a huge conversion grew it past 1 MiB. */
  RunList clear() {
    size = 0;
    if (bounds.length > (1 << 17)) {
      bounds = new long[16];
    }
    return this;
  }

  /** A sorted copy with overlapping and touching runs merged (for lists filled out of order). */
  RunList normalized() {
    long[][] runs = new long[size][];
    for (int i = 0; i < size; i++) {
      runs[i] = new long[] {start(i), end(i)};
    }
    Arrays.sort(runs, (a, b) -> Long.compare(a[0], b[0]));
    RunList out = new RunList();
    for (long[] r : runs) {
      if (out.size > 0 && r[0] <= out.end(out.size - 1)) {
        out.bounds[2 * out.size - 1] = Math.max(out.end(out.size - 1), r[1]);
      } else {
        out.add(r[0], r[1]);
      }
    }
    return out;
  }

  int size() {
    return size;
  }

  long start(int i) {
    return bounds[2 * i];
  }

  long end(int i) {
    return bounds[2 * i + 1];
  }

  long totalBlocks() {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += bounds[2 * i + 1] - bounds[2 * i];
    }
    return total;
  }

  /** Index of the first run whose end is after {@code block}, or {@link #size()} if none. */
  int firstEndingAfter(long block) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bounds[2 * mid + 1] <= block) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
