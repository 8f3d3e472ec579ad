package org.guestmem.kvm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The shared pages of a region as disjoint, non-touching {@code [start, end)} byte runs: one entry per run, never
 * per page, so a 16 TiB guest with a few shared buffers costs a few entries. Not thread-safe.
 */
final class SharedRuns {
  private final TreeMap<Long, Long> runs = new TreeMap<>();

  /** Marks {@code [start, end)} shared, merging with touching runs. */
  void add(long start, long end) {
    long s = start;
    long e = end;
    Map.Entry<Long, Long> before = runs.floorEntry(s);
    if (before != null && before.getValue() >= s) {
      s = before.getKey();
      e = Math.max(e, before.getValue());
      runs.remove(before.getKey());
    }
    for (Map.Entry<Long, Long> next = runs.ceilingEntry(s); next != null && next.getKey() <= e;
        next = runs.ceilingEntry(s)) {
      e = Math.max(e, next.getValue());
      runs.remove(next.getKey());
    }
    runs.put(s, e);
  }

  /** Marks {@code [start, end)} private, cutting runs at its ends. */
  void remove(long start, long end) {
    Map.Entry<Long, Long> before = runs.lowerEntry(start);
    if (before != null && before.getValue() > start) {
      runs.put(before.getKey(), start);
      if (before.getValue() > end) {
        runs.put(end, before.getValue());
        return;
      }
    }
    for (Map.Entry<Long, Long> next = runs.ceilingEntry(start); next != null && next.getKey() < end;
        next = runs.ceilingEntry(start)) {
      runs.remove(next.getKey());
      if (next.getValue() > end) {
        runs.put(end, next.getValue());
        return;
      }
    }
  }

  /** Whether every byte of {@code [start, end)} is shared ({@code shared}) or every byte private. */
  boolean isUniform(long start, long end, boolean shared) {
    Map.Entry<Long, Long> covering = runs.floorEntry(start);
    if (shared) {
      return covering != null && covering.getValue() >= end;
    }
    if (covering != null && covering.getValue() > start) {
      return false;
    }
    Long next = runs.higherKey(start);
    return next == null || next >= end;
  }

  /** Number of runs (the model's memory is proportional to it). */
  int size() {
    return runs.size();
  }

  void clear() {
    runs.clear();
  }
}
