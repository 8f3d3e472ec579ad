package org.guestmem.dma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.guestmem.spi.DmaMapping;

/**
 * A set of disjoint DMA mappings ordered by IOVA, with unsigned 64-bit arithmetic throughout: the bookkeeping both
 * the embedded kernel models and the real back-ends' ledgers are built on, and the mapping listener's own view.
 *
 * <p>Ranges are given as (first IOVA, last IOVA inclusive) so that a range ending at the top of the 64-bit space
 * needs no special case. Not thread-safe.
 */
public final class MappingTable {
  private final TreeMap<Long, DmaMapping> byIova = new TreeMap<>(Long::compareUnsigned);
  private long bytes;

  /** Number of mappings. */
  public int size() {
    return byIova.size();
  }

  /** Sum of the mappings' lengths. */
  public long bytes() {
    return bytes;
  }

  /** Whether no mapping is held. */
  public boolean isEmpty() {
    return byIova.isEmpty();
  }

  /** The mappings, ascending by IOVA. */
  public List<DmaMapping> snapshot() {
    return new ArrayList<>(byIova.values());
  }

  /** The mapping containing {@code iova}, or null. */
  public DmaMapping containing(long iova) {
    Map.Entry<Long, DmaMapping> e = byIova.floorEntry(iova);
    if (e == null) {
      return null;
    }
    DmaMapping m = e.getValue();
    return Long.compareUnsigned(iova, m.last()) <= 0 ? m : null;
  }

  /** Whether any mapping overlaps {@code [first, last]}. */
  public boolean overlaps(long first, long last) {
    if (containing(first) != null) {
      return true;
    }
    Map.Entry<Long, DmaMapping> next = byIova.higherEntry(first);
    return next != null && Long.compareUnsigned(next.getKey(), last) <= 0;
  }

  /** The mappings overlapping {@code [first, last]}, ascending. */
  public List<DmaMapping> overlapping(long first, long last) {
    List<DmaMapping> out = new ArrayList<>();
    DmaMapping head = containing(first);
    if (head != null) {
      out.add(head);
    }
    for (DmaMapping m : byIova.subMap(first, false, last, true).values()) {
      out.add(m);
    }
    return out;
  }

  /**
   * Adds {@code m}.
   *
   * @throws IllegalStateException if it overlaps a mapping already held (callers check first: this is a bug)
   */
  public void add(DmaMapping m) {
    if (overlaps(m.iova(), m.last())) {
      throw new IllegalStateException("mapping " + m + " overlaps " + overlapping(m.iova(), m.last()));
    }
    byIova.put(m.iova(), m);
    bytes += m.length();
  }

  /** Removes exactly {@code m} (which must be held) and returns it. */
  public DmaMapping remove(DmaMapping m) {
    DmaMapping held = byIova.get(m.iova());
    if (held == null || !held.equals(m)) {
      throw new IllegalStateException("mapping " + m + " is not held (held: " + held + ")");
    }
    byIova.remove(m.iova());
    bytes -= m.length();
    return m;
  }

  /**
   * Splits the mapping containing {@code lastOfFirstPiece} so that this IOVA is the last byte of its first piece.
   * Returns false (and changes nothing) if no mapping contains it or it already is a mapping's last byte.
   */
  public boolean splitAfter(long lastOfFirstPiece) {
    DmaMapping m = containing(lastOfFirstPiece);
    if (m == null || m.last() == lastOfFirstPiece) {
      return false;
    }
    long headLength = lastOfFirstPiece - m.iova() + 1;
    DmaMapping head = new DmaMapping(m.iova(), headLength, m.vaddr(), m.readable(), m.writable());
    DmaMapping tail = new DmaMapping(lastOfFirstPiece + 1, m.length() - headLength, m.vaddr() + headLength,
        m.readable(), m.writable());
    byIova.put(head.iova(), head);
    byIova.put(tail.iova(), tail);
    return true;
  }

  /** Removes every mapping lying wholly inside {@code [first, last]} and returns the bytes removed. */
  public long removeInside(long first, long last) {
    long removed = 0;
    for (DmaMapping m : overlapping(first, last)) {
      if (Long.compareUnsigned(m.iova(), first) >= 0 && Long.compareUnsigned(m.last(), last) <= 0) {
        remove(m);
        removed += m.length();
      }
    }
    return removed;
  }

  /**
   * Removes, in ascending order, the mappings wholly inside {@code [first, last]} up to the first one the range cuts,
   * and returns the bytes removed: what iommufd's unmap walk has done when it fails with ENOENT at a cut area.
   */
  public long removeInsideUntilCut(long first, long last) {
    long removed = 0;
    for (DmaMapping m : overlapping(first, last)) {
      if (Long.compareUnsigned(m.iova(), first) < 0 || Long.compareUnsigned(m.last(), last) > 0) {
        break;
      }
      remove(m);
      removed += m.length();
    }
    return removed;
  }

  /** Removes everything and returns the bytes removed. */
  public long clear() {
    long removed = bytes;
    byIova.clear();
    bytes = 0;
    return removed;
  }

  @Override
  public String toString() {
    return byIova.values().toString();
  }
}
