package org.guestmem.region;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A set of byte offsets of a region held as disjoint, non-touching {@code [start, end)} runs: one entry per run, never
 * per byte or granule, so a large region with a few runs costs a few entries. For a model's or a listener's view of
 * which bytes are in one state (shared, populated). Not thread-safe.
 */
public final class RunSet {
  private final TreeMap<Long, Long> runs = new TreeMap<>(); // start -> end

  /** Creates an empty set. */
  public RunSet() {}

  /**
   * Adds {@code [start, end)}, merging it with the runs it overlaps or touches.
   *
   * @param start first byte, not negative
   * @param end one past the last byte, above {@code start}
   * @throws IllegalArgumentException if the range is empty or starts below 0
   */
  public void add(long start, long end) {
    check(start, end);
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

  /**
   * Removes {@code [start, end)}, cutting the runs that reach past either end.
   *
   * @param start first byte, not negative
   * @param end one past the last byte, above {@code start}
   * @throws IllegalArgumentException if the range is empty or starts below 0
   */
  public void remove(long start, long end) {
    check(start, end);
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

  /**
   * {@return whether every byte of {@code [start, end)} is in the set}
   *
   * @param start first byte, not negative
   * @param end one past the last byte, above {@code start}
   * @throws IllegalArgumentException if the range is empty or starts below 0
   */
  public boolean containsAll(long start, long end) {
    check(start, end);
    Map.Entry<Long, Long> covering = runs.floorEntry(start);
    return covering != null && covering.getValue() >= end;
  }

  /**
   * {@return whether no byte of {@code [start, end)} is in the set}
   *
   * @param start first byte, not negative
   * @param end one past the last byte, above {@code start}
   * @throws IllegalArgumentException if the range is empty or starts below 0
   */
  public boolean containsNone(long start, long end) {
    check(start, end);
    Map.Entry<Long, Long> covering = runs.floorEntry(start);
    if (covering != null && covering.getValue() > start) {
      return false;
    }
    Long next = runs.higherKey(start);
    return next == null || next >= end;
  }

  /** {@return number of runs (what the set's memory is proportional to)} */
  public int size() {
    return runs.size();
  }

  /** Removes every run. */
  public void clear() {
    runs.clear();
  }

  /**
   * {@return the runs as an unmodifiable map from start to end, ascending: a view, which follows later changes}
   */
  public NavigableMap<Long, Long> asMap() {
    return Collections.unmodifiableNavigableMap(runs);
  }

  private static void check(long start, long end) {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException(String.format(
          "run [0x%x, 0x%x) must be non-empty and start at or above 0", start, end));
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    runs.forEach((s, e) -> sb.append(sb.length() == 1 ? "" : ", ").append(String.format("[0x%x, 0x%x)", s, e)));
    return sb.append(']').toString();
  }
}
