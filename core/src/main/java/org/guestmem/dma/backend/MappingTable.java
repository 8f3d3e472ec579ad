package org.guestmem.dma.backend;

import static org.guestmem.dma.backend.RunRecords.MAX_COUNT;
import static org.guestmem.dma.backend.RunRecords.NONE;
import static org.guestmem.spi.IovaRange.atOrBelow;
import static org.guestmem.spi.IovaRange.below;
import static org.guestmem.spi.IovaRange.higher;
import static org.guestmem.spi.IovaRange.lastOf;
import static org.guestmem.spi.IovaRange.lengthOf;
import static org.guestmem.spi.IovaRange.lower;

import java.util.ArrayList;
import java.util.List;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.MappingRun;
import org.guestmem.spi.MappingRunVisitor;

/**
 * A set of disjoint DMA mappings ("entries") ordered by IOVA, stored as runs of uniform entries: one record holds the
 * first IOVA, the first host address, the entry length and the count of entries that follow one another in IOVA and
 * host address with the same permissions ({@link MappingRun}). N granule mappings made one after the other are one
 * record, so memory follows the number of runs, not of mappings. The bookkeeping of the embedded kernel models, of
 * the real back-ends' ledgers and of the mapping listener's own view.
 *
 * <p>Every entry keeps its identity: {@link #entries()} counts entries, and the queries and the removals see every
 * boundary between two entries of a record (a range that starts at an interior entry boundary of a record does not
 * cut an entry). Records are kept maximal: adjacent records never continue each other, so {@link #runs()} is the
 * same for two tables holding the same entries.
 *
 * <p>Ranges are given as (first IOVA, last IOVA inclusive) with unsigned 64-bit arithmetic throughout, so that a
 * range ending at the top of the 64-bit space needs no special case. The records live in blocks of at most
 * {@value #BLOCK_RECORDS} records, four {@code long}s each, under a sorted index of the blocks' first IOVAs: a lookup
 * is two binary searches and an insertion moves at most one block's records. Nothing is allocated per call except
 * when a block grows or splits (and by the methods that return objects). Not thread-safe.
 *
 * <p>This class holds the rules (what continues what, which entry a range cuts, what a removal leaves); the packed
 * records and their blocks are {@link RunRecords}'s.
 */
public final class MappingTable {
  /** Records per block at most. */
  static final int BLOCK_RECORDS = RunRecords.BLOCK_RECORDS;

  /**
   * Receives the stretches of a range that hold no entry ({@link #forEachGap}).
   */
  @FunctionalInterface
  public interface GapVisitor {
    /**
     * One stretch {@code [first, last]} (inclusive) holding no entry.
     *
     * @param first first IOVA of the stretch
     * @param last last IOVA of the stretch, inclusive
     */
    void gap(long first, long last);
  }

  // Records are named by their position in the store (a long, NONE for none), so the rules allocate nothing.
  private final RunRecords store = new RunRecords();
  private long entries;
  private long bytes;

  /** {@return number of entries (mappings)} */
  public long entries() {
    return entries;
  }

  /** {@return number of records (maximal runs of uniform entries)} */
  public int records() {
    return store.size();
  }

  /** {@return sum of the entries' lengths (modulo 2^64)} */
  public long bytes() {
    return bytes;
  }

  /** {@return whether no entry is held} */
  public boolean isEmpty() {
    return store.size() == 0;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Queries

  /**
   * {@return whether an entry holds {@code iova}}
   *
   * @param iova the IOVA asked about
   */
  public boolean holds(long iova) {
    return holding(iova) != NONE;
  }

  /**
   * {@return whether any entry overlaps {@code [first, last]}}
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   */
  public boolean overlaps(long first, long last) {
    long p = store.floor(last);
    return p != NONE && atOrBelow(first, store.last(p));
  }

  /**
   * Whether one entry holds both {@code iova} and {@code iova + 1}: a range ending at {@code iova}, or one starting
   * at {@code iova + 1}, would cut that entry. False at the top of the space and where no entry holds {@code iova}.
   *
   * @param iova the IOVA asked about
   * @return whether a cut after {@code iova} would split an entry
   */
  public boolean entryContinuesAfter(long iova) {
    long p = holding(iova);
    if (p == NONE) {
      return false;
    }
    long length = store.length(p);
    long entryStart = store.iova(p) + Long.divideUnsigned(iova - store.iova(p), length) * length;
    return lastOf(entryStart, length) != iova;
  }

  /**
   * {@return the entry holding {@code iova}, or null (allocates: for messages and tests)}
   *
   * @param iova the IOVA asked about
   */
  public DmaMapping entryAt(long iova) {
    long p = holding(iova);
    return p == NONE ? null : entry(p, Long.divideUnsigned(iova - store.iova(p), store.length(p)));
  }

  /**
   * {@return the lowest entry overlapping {@code [first, last]}, or null (allocates: for messages)}
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   */
  public DmaMapping firstEntryIn(long first, long last) {
    long p = firstRecordOverlapping(first, last);
    if (p == NONE) {
      return null;
    }
    long start = store.iova(p);
    long index = atOrBelow(first, start) ? 0 : Long.divideUnsigned(first - start, store.length(p));
    return entry(p, index);
  }

  /**
   * {@return the lowest IOVA in {@code [first, last]} an entry holds; only meaningful when {@link #overlaps} is
   * true}
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   * @throws IllegalStateException if no entry overlaps the range
   */
  public long firstHeldIn(long first, long last) {
    long p = firstRecordOverlapping(first, last);
    if (p == NONE) {
      throw new IllegalStateException(String.format("no entry in [0x%x, 0x%x]", first, last));
    }
    return higher(store.iova(p), first);
  }

  /**
   * {@return the highest IOVA in {@code [first, last]} an entry holds; only meaningful when {@link #overlaps} is
   * true}
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   * @throws IllegalStateException if no entry overlaps the range
   */
  public long lastHeldIn(long first, long last) {
    long p = store.floor(last);
    if (p == NONE || below(store.last(p), first)) {
      throw new IllegalStateException(String.format("no entry in [0x%x, 0x%x]", first, last));
    }
    return lower(store.last(p), last);
  }

  /**
   * {@return bytes of {@code [first, last]} that entries hold}
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   */
  public long bytesIn(long first, long last) {
    long held = 0;
    for (long p = firstRecordOverlapping(first, last); p != NONE && atOrBelow(store.iova(p), last);
        p = store.next(p)) {
      held += lengthOf(higher(store.iova(p), first), lower(store.last(p), last));
    }
    return held;
  }

  /**
   * Calls {@code visitor} for each stretch of {@code [first, last]} that no entry holds, ascending. The visitor may
   * add entries inside the stretch it is given (the walk resumes after it).
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   * @param visitor called once per stretch
   */
  public void forEachGap(long first, long last, GapVisitor visitor) {
    long at = first;
    while (true) {
      long p = store.floor(at);
      if (p != NONE && atOrBelow(at, store.last(p))) {
        long heldTo = store.last(p);
        if (atOrBelow(last, heldTo)) {
          return;
        }
        at = heldTo + 1;
        continue;
      }
      long n = p == NONE ? store.first() : store.next(p);
      long gapLast = n != NONE && atOrBelow(store.iova(n), last) ? store.iova(n) - 1 : last;
      visitor.gap(at, gapLast);
      if (gapLast == last) {
        return;
      }
      at = gapLast + 1;
    }
  }

  /**
   * Calls {@code visitor} for every record, ascending; it must not change this table.
   *
   * @param visitor called once per record
   */
  public void forEachRun(MappingRunVisitor visitor) {
    store.forEachRun(visitor);
  }

  /**
   * Calls {@code visitor} for every record overlapping {@code [first, last]} (whole records, which may reach past
   * either end), ascending; it must not change this table. Costs a lookup plus the records visited.
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   * @param visitor called once per overlapping record
   */
  public void forEachRunOverlapping(long first, long last, MappingRunVisitor visitor) {
    for (long p = firstRecordOverlapping(first, last); p != NONE && atOrBelow(store.iova(p), last);
        p = store.next(p)) {
      visitor.visit(store.run(p));
    }
  }

  /** {@return the records as runs, ascending} */
  public List<MappingRun> runs() {
    List<MappingRun> out = new ArrayList<>(store.size());
    forEachRun(out::add);
    return out;
  }

  /** {@return the entries, one object each, ascending: for small tables (tests, messages)} */
  public List<DmaMapping> snapshot() {
    List<DmaMapping> out = new ArrayList<>();
    forEachRun(run -> run.addEntriesTo(out));
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Changes

  /**
   * Adds one entry.
   *
   * @param iova first IOVA of the entry
   * @param length length in bytes (unsigned)
   * @param vaddr host address (or file offset) of the first byte
   * @param readable whether the device may read
   * @param writable whether the device may write
   * @throws IllegalArgumentException if the length is 0 or the entry wraps the 64-bit space
   * @throws IllegalStateException if it overlaps an entry already held (callers check first: this is a bug)
   */
  public void add(long iova, long length, long vaddr, boolean readable, boolean writable) {
    addRun(iova, vaddr, length, 1, readable, writable);
  }

  /**
   * Adds {@code m} as one entry; see {@link #add(long, long, long, boolean, boolean)}.
   *
   * @param m the entry
   */
  public void add(DmaMapping m) {
    addRun(m.iova(), m.vaddr(), m.length(), 1, m.readable(), m.writable());
  }

  /**
   * Adds {@code count} entries of {@code entryLength} bytes from {@code iova}, backed from {@code vaddr} on, merging
   * them into the records before and after where they continue each other.
   *
   * @param iova first IOVA of the first entry
   * @param vaddr host address (or file offset) of the first byte
   * @param entryLength bytes per entry (unsigned)
   * @param count number of entries, positive
   * @param readable whether the device may read
   * @param writable whether the device may write
   * @throws IllegalArgumentException if the length is 0, the count is not positive or the entries wrap the 64-bit
   *     space
   * @throws IllegalStateException if they overlap an entry already held (callers check first: this is a bug)
   */
  public void addRun(long iova, long vaddr, long entryLength, long count, boolean readable, boolean writable) {
    if (entryLength == 0 || count <= 0 || count > MAX_COUNT
        || Long.compareUnsigned(count, MappingRun.entriesThatFit(iova, entryLength)) > 0) {
      throw new IllegalArgumentException(String.format("%d entries of 0x%x bytes at IOVA 0x%x: the length must be "
          + "non-zero, the count between 1 and 2^62 - 1, and the entries must not wrap the 64-bit space", count,
          entryLength, iova));
    }
    long last = lastOf(iova, entryLength * count);
    if (overlaps(iova, last)) {
      throw new IllegalStateException(String.format("%d entries of 0x%x bytes at IOVA 0x%x overlap the entry %s",
          count, entryLength, iova, firstEntryIn(iova, last)));
    }
    long permissions = RunRecords.permissions(readable, writable);
    long before = store.floor(iova);
    long after = before == NONE ? store.first() : store.next(before);
    boolean joinsBefore = before != NONE && continues(before, iova, vaddr, entryLength, permissions, count);
    boolean joinsAfter = after != NONE && store.iova(after) == last + 1
        && store.vaddr(after) == vaddr + entryLength * count && store.length(after) == entryLength
        && store.permissions(after) == permissions && store.count(after) + count <= MAX_COUNT;
    if (joinsBefore && joinsAfter && store.count(before) + count + store.count(after) <= MAX_COUNT) {
      store.setCount(before, store.count(before) + count + store.count(after));
      store.removeAt(after);
    } else if (joinsBefore) {
      store.setCount(before, store.count(before) + count);
    } else if (joinsAfter) {
      store.setStart(after, iova, vaddr);
      store.setCount(after, store.count(after) + count);
    } else {
      store.insertAfter(before, iova, vaddr, entryLength, permissions | count);
    }
    entries += count;
    bytes += entryLength * count;
  }

  /**
   * Cuts the entry holding {@code lastOfFirstPiece} in two so that this IOVA is the last byte of its first piece
   * (both pieces stay, with their host addresses). Returns false (and changes nothing) if no entry holds it or it
   * already is an entry's last byte.
   *
   * @param lastOfFirstPiece the IOVA to cut after
   * @return whether an entry was cut
   */
  public boolean splitAfter(long lastOfFirstPiece) {
    long p = holding(lastOfFirstPiece);
    if (p == NONE) {
      return false;
    }
    long first = store.iova(p);
    long vaddr = store.vaddr(p);
    long length = store.length(p);
    long count = store.count(p);
    long permissions = store.permissions(p);
    long index = Long.divideUnsigned(lastOfFirstPiece - first, length);
    long entryStart = first + index * length;
    long headLength = lengthOf(entryStart, lastOfFirstPiece);
    if (headLength == length) {
      return false;
    }
    long entryVaddr = vaddr + index * length;
    long following = count - index - 1;
    long at;
    if (index > 0) {
      store.setCount(p, index);
      at = store.insertAfter(p, entryStart, entryVaddr, headLength, permissions | 1);
    } else {
      store.setLength(p, headLength);
      store.setCount(p, 1);
      at = p;
    }
    at = store.insertAfter(at, lastOfFirstPiece + 1, entryVaddr + headLength, length - headLength, permissions | 1);
    if (following > 0) {
      store.insertAfter(at, entryStart + length, entryVaddr + length, length, permissions | following);
    }
    entries++;
    // The two pieces may continue each other (a cut in the middle) or the records around them.
    mergeAround(entryStart);
    mergeAround(lastOfFirstPiece + 1);
    return true;
  }

  /**
   * Removes every entry lying wholly inside {@code [first, last]} and returns the bytes removed.
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   * @return the bytes removed
   */
  public long removeInside(long first, long last) {
    long removed = 0;
    long at = first;
    while (true) {
      long p = firstRecordOverlapping(at, last);
      if (p == NONE) {
        return removed;
      }
      long start = store.iova(p);
      long length = store.length(p);
      long count = store.count(p);
      long recordLast = store.last(p);
      // The entries wholly inside: from the first starting at or after first to the last ending at or before last.
      long from = atOrBelow(first, start) ? 0 : Long.divideUnsigned(first - start - 1, length) + 1;
      long to = atOrBelow(recordLast, last) ? count - 1 : Long.divideUnsigned(last - start + 1, length) - 1;
      if (from <= to) {
        removeEntries(p, from, to);
        removed += (to - from + 1) * length;
      }
      if (atOrBelow(last, recordLast)) {
        return removed;
      }
      at = recordLast + 1;
    }
  }

  /**
   * Removes, in ascending order, the entries wholly inside {@code [first, last]} up to the first one the range cuts,
   * and returns the bytes removed: what iommufd's unmap walk has done when it fails with ENOENT at a cut area. Only
   * the first and the last entry the range overlaps can be cut, so this is {@link #removeInside} unless the first
   * one starts before {@code first}.
   *
   * @param first first IOVA of the range, inclusive
   * @param last last IOVA of the range, inclusive
   * @return the bytes removed
   */
  public long removeInsideUntilCut(long first, long last) {
    return entryContinuesAfter(first - 1) ? 0 : removeInside(first, last);
  }

  /**
   * Removes everything and returns the bytes removed.
   *
   * @return the bytes removed (modulo 2^64)
   */
  public long clear() {
    long removed = bytes;
    store.clear();
    entries = 0;
    bytes = 0;
    return removed;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    int shown = 0;
    for (long p = store.first(); p != NONE && shown < 8; p = store.next(p), shown++) {
      sb.append(shown == 0 ? "" : ", ").append(store.run(p));
    }
    if (store.size() > shown) {
      sb.append(", ... ").append(store.size()).append(" runs, ").append(entries).append(" entries");
    }
    return sb.append(']').toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Records, by the kernels' rules

  /** The record holding {@code iova}, or NONE. */
  private long holding(long iova) {
    long p = store.floor(iova);
    return p != NONE && atOrBelow(iova, store.last(p)) ? p : NONE;
  }

  /** The lowest record overlapping {@code [first, last]}, or NONE. */
  private long firstRecordOverlapping(long first, long last) {
    long p = store.floor(first);
    if (p == NONE || below(store.last(p), first)) {
      p = p == NONE ? store.first() : store.next(p);
    }
    return p != NONE && atOrBelow(store.iova(p), last) ? p : NONE;
  }

  private DmaMapping entry(long p, long index) {
    return store.run(p).entry(index);
  }

  /** Whether entries at {@code iova} continue record {@code p}: right after it in IOVA and vaddr, same kind. */
  private boolean continues(long p, long iova, long vaddr, long length, long permissions, long count) {
    return store.last(p) + 1 == iova && store.vaddr(p) + store.length(p) * store.count(p) == vaddr
        && store.length(p) == length && store.permissions(p) == permissions && store.count(p) + count <= MAX_COUNT;
  }

  /** Merges the record holding {@code iova} with the records before and after it where they continue each other. */
  private void mergeAround(long iova) {
    long p = store.floor(iova);
    long n = store.next(p);
    if (n != NONE
        && continues(p, store.iova(n), store.vaddr(n), store.length(n), store.permissions(n), store.count(n))) {
      store.setCount(p, store.count(p) + store.count(n));
      store.removeAt(n);
      p = store.floor(iova);
    }
    long before = store.previous(p);
    if (before != NONE
        && continues(before, store.iova(p), store.vaddr(p), store.length(p), store.permissions(p), store.count(p))) {
      store.setCount(before, store.count(before) + store.count(p));
      store.removeAt(p);
    }
  }

  /** Removes entries {@code [from, to]} of record {@code p}, leaving the entries before and after as records. */
  private void removeEntries(long p, long from, long to) {
    long count = store.count(p);
    long length = store.length(p);
    long removed = to - from + 1;
    boolean head = from > 0;
    boolean tail = to < count - 1;
    long tailStart = (to + 1) * length;
    if (head && tail) {
      store.setCount(p, from);
      store.insertAfter(p, store.iova(p) + tailStart, store.vaddr(p) + tailStart, length,
          store.permissions(p) | (count - to - 1));
    } else if (head) {
      store.setCount(p, from);
    } else if (tail) {
      store.setStart(p, store.iova(p) + tailStart, store.vaddr(p) + tailStart);
      store.setCount(p, count - to - 1);
    } else {
      store.removeAt(p);
    }
    entries -= removed;
    bytes -= removed * length;
  }
}
