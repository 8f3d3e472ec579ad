package org.guestmem.conformance;

import java.util.Map;
import java.util.TreeMap;
import org.guestmem.spi.PinnedRanges;

/**
 * Pins made directly by a test (a reference some other kernel user holds), one entry per pinned range. Optionally
 * releases every pin after a number of queries, to model a transient reference that a retry outlives.
 */
public final class DirectPins implements PinnedRanges {
  private final TreeMap<Long, Long> pins = new TreeMap<>();
  private long queries;
  private long releaseAfter = -1;

  /** Pins {@code [vaddr, vaddr + length)}. */
  public DirectPins pin(long vaddr, long length) {
    pins.merge(vaddr, vaddr + length, Math::max);
    return this;
  }

  /** Drops every pin. */
  public void unpinAll() {
    pins.clear();
  }

  /** Drops every pin once {@code n} more queries have seen them. */
  public DirectPins releaseAfter(long n) {
    this.releaseAfter = queries + n;
    return this;
  }

  /** Queries answered so far. */
  public long queries() {
    return queries;
  }

  @Override
  public long firstPinned(long vaddr, long length) {
    if (releaseAfter >= 0 && queries >= releaseAfter) {
      pins.clear();
      releaseAfter = -1;
    }
    queries++;
    long end = vaddr + length;
    long first = -1;
    for (Map.Entry<Long, Long> p : pins.entrySet()) {
      if (p.getKey() < end && p.getValue() > vaddr) {
        long at = Math.max(p.getKey(), vaddr);
        first = first < 0 ? at : Math.min(first, at);
      }
    }
    return first;
  }
}
