package org.guestmem.dma.backend;

import java.util.ArrayList;
import java.util.Arrays;
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
 */
public final class MappingTable {
  /** Records per block at most. */
  static final int BLOCK_RECORDS = 256;
  private static final int FIELDS = 4;
  private static final int IOVA = 0;
  private static final int VADDR = 1;
  private static final int LENGTH = 2;
  /** The count in the low 62 bits, the permissions in the top two. */
  private static final int META = 3;
  private static final long READABLE = 1L << 63;
  private static final long WRITABLE = 1L << 62;
  private static final long MAX_COUNT = WRITABLE - 1;
  private static final int FIRST_CAPACITY = 4;
  private static final long NONE = -1;

  /**
   * Receives the stretches of a range that hold no entry ({@link #forEachGap}).
   */
  @FunctionalInterface
  public interface GapVisitor {
    /** One stretch {@code [first, last]} (inclusive) holding no entry. */
    void gap(long first, long last);
  }

  // Block b holds sizes[b] records in blocks[b]; firstIovas[b] is its first record's IOVA. A position is
  // (block << 32 | index), NONE for none.
  private long[][] blocks = new long[0][];
  private int[] sizes = new int[0];
  private long[] firstIovas = new long[0];
  private int blockCount;
  private int records;
  private long entries;
  private long bytes;

  /** Number of entries (mappings). */
  public long entries() {
    return entries;
  }

  /** Number of records (maximal runs of uniform entries). */
  public int records() {
    return records;
  }

  /** Sum of the entries' lengths (modulo 2^64). */
  public long bytes() {
    return bytes;
  }

  /** Whether no entry is held. */
  public boolean isEmpty() {
    return records == 0;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Queries

  /** Whether an entry holds {@code iova}. */
  public boolean holds(long iova) {
    return holding(iova) != NONE;
  }

  /** Whether any entry overlaps {@code [first, last]}. */
  public boolean overlaps(long first, long last) {
    long p = floor(last);
    return p != NONE && Long.compareUnsigned(last(p), first) >= 0;
  }

  /**
   * Whether one entry holds both {@code iova} and {@code iova + 1}: a range ending at {@code iova}, or one starting
   * at {@code iova + 1}, would cut that entry. False at the top of the space and where no entry holds {@code iova}.
   */
  public boolean entryContinuesAfter(long iova) {
    long p = holding(iova);
    if (p == NONE) {
      return false;
    }
    long length = length(p);
    long entryLast = iova(p) + (Long.divideUnsigned(iova - iova(p), length) + 1) * length - 1;
    return entryLast != iova;
  }

  /** The entry holding {@code iova}, or null (allocates: for messages and tests). */
  public DmaMapping entryAt(long iova) {
    long p = holding(iova);
    return p == NONE ? null : entry(p, Long.divideUnsigned(iova - iova(p), length(p)));
  }

  /** The lowest entry overlapping {@code [first, last]}, or null (allocates: for messages). */
  public DmaMapping firstEntryIn(long first, long last) {
    long p = firstRecordOverlapping(first, last);
    if (p == NONE) {
      return null;
    }
    long index = Long.compareUnsigned(first, iova(p)) <= 0 ? 0 : Long.divideUnsigned(first - iova(p), length(p));
    return entry(p, index);
  }

  /** The lowest IOVA in {@code [first, last]} an entry holds; only meaningful when {@link #overlaps} is true. */
  public long firstHeldIn(long first, long last) {
    long p = firstRecordOverlapping(first, last);
    if (p == NONE) {
      throw new IllegalStateException(String.format("no entry in [0x%x, 0x%x]", first, last));
    }
    return Long.compareUnsigned(iova(p), first) < 0 ? first : iova(p);
  }

  /** The highest IOVA in {@code [first, last]} an entry holds; only meaningful when {@link #overlaps} is true. */
  public long lastHeldIn(long first, long last) {
    long p = floor(last);
    if (p == NONE || Long.compareUnsigned(last(p), first) < 0) {
      throw new IllegalStateException(String.format("no entry in [0x%x, 0x%x]", first, last));
    }
    return Long.compareUnsigned(last(p), last) > 0 ? last : last(p);
  }

  /** Bytes of {@code [first, last]} that entries hold. */
  public long bytesIn(long first, long last) {
    long held = 0;
    for (long p = firstRecordOverlapping(first, last); p != NONE && Long.compareUnsigned(iova(p), last) <= 0;
        p = next(p)) {
      long a = Long.compareUnsigned(iova(p), first) < 0 ? first : iova(p);
      long b = Long.compareUnsigned(last(p), last) > 0 ? last : last(p);
      held += b - a + 1;
    }
    return held;
  }

  /**
   * Calls {@code visitor} for each stretch of {@code [first, last]} that no entry holds, ascending. The visitor may
   * add entries inside the stretch it is given (the walk resumes after it).
   */
  public void forEachGap(long first, long last, GapVisitor visitor) {
    long at = first;
    while (true) {
      long p = floor(at);
      if (p != NONE && Long.compareUnsigned(last(p), at) >= 0) {
        long heldTo = last(p);
        if (Long.compareUnsigned(heldTo, last) >= 0) {
          return;
        }
        at = heldTo + 1;
        continue;
      }
      long n = p == NONE ? firstPosition() : next(p);
      long gapLast = n != NONE && Long.compareUnsigned(iova(n), last) <= 0 ? iova(n) - 1 : last;
      visitor.gap(at, gapLast);
      if (gapLast == last) {
        return;
      }
      at = gapLast + 1;
    }
  }

  /** Calls {@code visitor} for every record, ascending; it must not change this table. */
  public void forEachRun(MappingRunVisitor visitor) {
    for (int b = 0; b < blockCount; b++) {
      long[] d = blocks[b];
      for (int i = 0, n = sizes[b]; i < n; i++) {
        int o = i * FIELDS;
        long meta = d[o + META];
        visitor.visit(new MappingRun(d[o + IOVA], d[o + VADDR], d[o + LENGTH], meta & MAX_COUNT,
            (meta & READABLE) != 0, (meta & WRITABLE) != 0));
      }
    }
  }

  /**
   * Calls {@code visitor} for every record overlapping {@code [first, last]} (whole records, which may reach past
   * either end), ascending; it must not change this table. Costs a lookup plus the records visited.
   */
  public void forEachRunOverlapping(long first, long last, MappingRunVisitor visitor) {
    for (long p = firstRecordOverlapping(first, last); p != NONE && Long.compareUnsigned(iova(p), last) <= 0;
        p = next(p)) {
      int b = (int) (p >>> 32);
      int o = (int) p * FIELDS;
      long[] d = blocks[b];
      long meta = d[o + META];
      visitor.visit(new MappingRun(d[o + IOVA], d[o + VADDR], d[o + LENGTH], meta & MAX_COUNT,
          (meta & READABLE) != 0, (meta & WRITABLE) != 0));
    }
  }

  /** The records as runs, ascending. */
  public List<MappingRun> runs() {
    List<MappingRun> out = new ArrayList<>(records);
    forEachRun(out::add);
    return out;
  }

  /** The entries, one object each, ascending: for small tables (tests, messages). */
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
   * @throws IllegalArgumentException if the length is 0 or the entry wraps the 64-bit space
   * @throws IllegalStateException if it overlaps an entry already held (callers check first: this is a bug)
   */
  public void add(long iova, long length, long vaddr, boolean readable, boolean writable) {
    addRun(iova, vaddr, length, 1, readable, writable);
  }

  /** Adds {@code m} as one entry; see {@link #add(long, long, long, boolean, boolean)}. */
  public void add(DmaMapping m) {
    addRun(m.iova(), m.vaddr(), m.length(), 1, m.readable(), m.writable());
  }

  /**
   * Adds {@code count} entries of {@code entryLength} bytes from {@code iova}, backed from {@code vaddr} on, merging
   * them into the records before and after where they continue each other.
   *
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
    long last = iova + entryLength * count - 1;
    if (overlaps(iova, last)) {
      throw new IllegalStateException(String.format("%d entries of 0x%x bytes at IOVA 0x%x overlap the entry %s",
          count, entryLength, iova, firstEntryIn(iova, last)));
    }
    long permissions = (readable ? READABLE : 0) | (writable ? WRITABLE : 0);
    long before = floor(iova);
    long after = before == NONE ? firstPosition() : next(before);
    boolean joinsBefore = before != NONE && continues(before, iova, vaddr, entryLength, permissions, count);
    boolean joinsAfter = after != NONE && iova(after) == last + 1 && vaddr(after) == vaddr + entryLength * count
        && length(after) == entryLength && permissions(after) == permissions && count(after) + count <= MAX_COUNT;
    if (joinsBefore && joinsAfter && count(before) + count + count(after) <= MAX_COUNT) {
      setCount(before, count(before) + count + count(after));
      removeAt(after);
    } else if (joinsBefore) {
      setCount(before, count(before) + count);
    } else if (joinsAfter) {
      setStart(after, iova, vaddr);
      setCount(after, count(after) + count);
    } else {
      insertAfter(before, iova, vaddr, entryLength, permissions | count);
    }
    entries += count;
    bytes += entryLength * count;
  }

  /**
   * Cuts the entry holding {@code lastOfFirstPiece} in two so that this IOVA is the last byte of its first piece
   * (both pieces stay, with their host addresses). Returns false (and changes nothing) if no entry holds it or it
   * already is an entry's last byte.
   */
  public boolean splitAfter(long lastOfFirstPiece) {
    long p = holding(lastOfFirstPiece);
    if (p == NONE) {
      return false;
    }
    long first = iova(p);
    long vaddr = vaddr(p);
    long length = length(p);
    long count = count(p);
    long permissions = permissions(p);
    long index = Long.divideUnsigned(lastOfFirstPiece - first, length);
    long entryStart = first + index * length;
    long headLength = lastOfFirstPiece - entryStart + 1;
    if (headLength == length) {
      return false;
    }
    long entryVaddr = vaddr + index * length;
    long following = count - index - 1;
    long at;
    if (index > 0) {
      setCount(p, index);
      at = insertAfter(p, entryStart, entryVaddr, headLength, permissions | 1);
    } else {
      setLength(p, headLength);
      setCount(p, 1);
      at = p;
    }
    at = insertAfter(at, lastOfFirstPiece + 1, entryVaddr + headLength, length - headLength, permissions | 1);
    if (following > 0) {
      insertAfter(at, entryStart + length, entryVaddr + length, length, permissions | following);
    }
    entries++;
    // The two pieces may continue each other (a cut in the middle) or the records around them.
    mergeAround(entryStart);
    mergeAround(lastOfFirstPiece + 1);
    return true;
  }

  /** Removes every entry lying wholly inside {@code [first, last]} and returns the bytes removed. */
  public long removeInside(long first, long last) {
    long removed = 0;
    long at = first;
    while (true) {
      long p = firstRecordOverlapping(at, last);
      if (p == NONE) {
        return removed;
      }
      long start = iova(p);
      long length = length(p);
      long count = count(p);
      long recordLast = last(p);
      long from = Long.compareUnsigned(first, start) <= 0 ? 0
          : Long.divideUnsigned(first - start - 1, length) + 1;
      long to = Long.compareUnsigned(last, recordLast) >= 0 ? count - 1
          : Long.divideUnsigned(last - start + 1, length) - 1;
      if (from <= to) {
        removeEntries(p, from, to);
        removed += (to - from + 1) * length;
      }
      if (Long.compareUnsigned(recordLast, last) >= 0) {
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
   */
  public long removeInsideUntilCut(long first, long last) {
    return entryContinuesAfter(first - 1) ? 0 : removeInside(first, last);
  }

  /** Removes everything and returns the bytes removed. */
  public long clear() {
    long removed = bytes;
    blocks = new long[0][];
    sizes = new int[0];
    firstIovas = new long[0];
    blockCount = 0;
    records = 0;
    entries = 0;
    bytes = 0;
    return removed;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    int shown = 0;
    for (long p = firstPosition(); p != NONE && shown < 8; p = next(p), shown++) {
      sb.append(shown == 0 ? "" : ", ").append(run(p));
    }
    if (records > shown) {
      sb.append(", ... ").append(records).append(" runs, ").append(entries).append(" entries");
    }
    return sb.append(']').toString();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Records

  private long[] data(long p) {
    return blocks[(int) (p >>> 32)];
  }

  private static int offset(long p) {
    return (int) p * FIELDS;
  }

  private long iova(long p) {
    return data(p)[offset(p) + IOVA];
  }

  private long vaddr(long p) {
    return data(p)[offset(p) + VADDR];
  }

  private long length(long p) {
    return data(p)[offset(p) + LENGTH];
  }

  private long count(long p) {
    return data(p)[offset(p) + META] & MAX_COUNT;
  }

  private long permissions(long p) {
    return data(p)[offset(p) + META] & ~MAX_COUNT;
  }

  private long last(long p) {
    long[] d = data(p);
    int o = offset(p);
    return d[o + IOVA] + d[o + LENGTH] * (d[o + META] & MAX_COUNT) - 1;
  }

  private MappingRun run(long p) {
    long permissions = permissions(p);
    return new MappingRun(iova(p), vaddr(p), length(p), count(p), (permissions & READABLE) != 0,
        (permissions & WRITABLE) != 0);
  }

  private DmaMapping entry(long p, long index) {
    return run(p).entry(index);
  }

  private void setCount(long p, long count) {
    long[] d = data(p);
    int o = offset(p);
    d[o + META] = (d[o + META] & ~MAX_COUNT) | count;
  }

  private void setLength(long p, long length) {
    data(p)[offset(p) + LENGTH] = length;
  }

  private void setStart(long p, long iova, long vaddr) {
    long[] d = data(p);
    int o = offset(p);
    d[o + IOVA] = iova;
    d[o + VADDR] = vaddr;
    if ((int) p == 0) {
      firstIovas[(int) (p >>> 32)] = iova;
    }
  }

  /** Whether entries at {@code iova} continue record {@code p}: right after it in IOVA and vaddr, same kind. */
  private boolean continues(long p, long iova, long vaddr, long length, long permissions, long count) {
    return last(p) + 1 == iova && vaddr(p) + length(p) * count(p) == vaddr && length(p) == length
        && permissions(p) == permissions && count(p) + count <= MAX_COUNT;
  }

  /** Merges the record holding {@code iova} with the records before and after it where they continue each other. */
  private void mergeAround(long iova) {
    long p = floor(iova);
    long n = next(p);
    if (n != NONE && continues(p, iova(n), vaddr(n), length(n), permissions(n), count(n))) {
      setCount(p, count(p) + count(n));
      removeAt(n);
      p = floor(iova);
    }
    long before = previous(p);
    if (before != NONE && continues(before, iova(p), vaddr(p), length(p), permissions(p), count(p))) {
      setCount(before, count(before) + count(p));
      removeAt(p);
    }
  }

  /** Removes entries {@code [from, to]} of record {@code p}, leaving the entries before and after as records. */
  private void removeEntries(long p, long from, long to) {
    long count = count(p);
    long length = length(p);
    long removed = to - from + 1;
    boolean head = from > 0;
    boolean tail = to < count - 1;
    long tailStart = (to + 1) * length;
    if (head && tail) {
      setCount(p, from);
      insertAfter(p, iova(p) + tailStart, vaddr(p) + tailStart, length, permissions(p) | (count - to - 1));
    } else if (head) {
      setCount(p, from);
    } else if (tail) {
      setStart(p, iova(p) + tailStart, vaddr(p) + tailStart);
      setCount(p, count - to - 1);
    } else {
      removeAt(p);
    }
    entries -= removed;
    bytes -= removed * length;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Positions and blocks

  private static long position(int block, int index) {
    return (long) block << 32 | index;
  }

  private long firstPosition() {
    return blockCount == 0 ? NONE : position(0, 0);
  }

  private long next(long p) {
    int b = (int) (p >>> 32);
    int i = (int) p;
    if (i + 1 < sizes[b]) {
      return p + 1;
    }
    return b + 1 < blockCount ? position(b + 1, 0) : NONE;
  }

  private long previous(long p) {
    int b = (int) (p >>> 32);
    int i = (int) p;
    if (i > 0) {
      return p - 1;
    }
    return b > 0 ? position(b - 1, sizes[b - 1] - 1) : NONE;
  }

  /** The record with the highest first IOVA at or below {@code iova}, or NONE. */
  private long floor(long iova) {
    int lo = 0;
    int hi = blockCount - 1;
    int b = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(firstIovas[mid], iova) <= 0) {
        b = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (b < 0) {
      return NONE;
    }
    long[] d = blocks[b];
    lo = 1;
    hi = sizes[b] - 1;
    int i = 0;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(d[mid * FIELDS + IOVA], iova) <= 0) {
        i = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return position(b, i);
  }

  /** The record holding {@code iova}, or NONE. */
  private long holding(long iova) {
    long p = floor(iova);
    return p != NONE && Long.compareUnsigned(iova, last(p)) <= 0 ? p : NONE;
  }

  /** The lowest record overlapping {@code [first, last]}, or NONE. */
  private long firstRecordOverlapping(long first, long last) {
    long p = floor(first);
    if (p == NONE || Long.compareUnsigned(last(p), first) < 0) {
      p = p == NONE ? firstPosition() : next(p);
    }
    return p != NONE && Long.compareUnsigned(iova(p), last) <= 0 ? p : NONE;
  }

  /**
   * Inserts a record right after {@code p} (at the very front for NONE) and returns its position; positions
   * returned before are invalid afterwards.
   */
  private long insertAfter(long p, long iova, long vaddr, long length, long meta) {
    int b;
    int i;
    if (blockCount == 0) {
      addBlock(0, FIRST_CAPACITY);
      b = 0;
      i = 0;
    } else if (p == NONE) {
      b = 0;
      i = 0;
    } else {
      b = (int) (p >>> 32);
      i = (int) p + 1;
    }
    if (sizes[b] == BLOCK_RECORDS) {
      if (i == BLOCK_RECORDS && b + 1 < blockCount && sizes[b + 1] < BLOCK_RECORDS) {
        b++;
        i = 0;
      } else if (i == BLOCK_RECORDS || i == 0) {
        // Ascending (or descending) insertion starts a block of its own instead of halving a full one, so that
        // blocks filled in order stay full.
        b = i == 0 ? b : b + 1;
        addBlock(b, FIRST_CAPACITY);
        i = 0;
      } else {
        int half = BLOCK_RECORDS / 2;
        splitBlock(b, half);
        if (i > half) {
          b++;
          i -= half;
        }
      }
    }
    int n = sizes[b];
    long[] d = blocks[b];
    if ((n + 1) * FIELDS > d.length) {
      d = Arrays.copyOf(d, capacityFor(n + 1) * FIELDS);
      blocks[b] = d;
    }
    System.arraycopy(d, i * FIELDS, d, (i + 1) * FIELDS, (n - i) * FIELDS);
    int o = i * FIELDS;
    d[o + IOVA] = iova;
    d[o + VADDR] = vaddr;
    d[o + LENGTH] = length;
    d[o + META] = meta;
    sizes[b] = n + 1;
    if (i == 0) {
      firstIovas[b] = iova;
    }
    records++;
    return position(b, i);
  }

  /** Removes record {@code p}; positions are invalid afterwards. */
  private void removeAt(long p) {
    int b = (int) (p >>> 32);
    int i = (int) p;
    long[] d = blocks[b];
    int n = sizes[b] - 1;
    System.arraycopy(d, (i + 1) * FIELDS, d, i * FIELDS, (n - i) * FIELDS);
    sizes[b] = n;
    records--;
    if (n == 0) {
      removeBlock(b);
      return;
    }
    if (i == 0) {
      firstIovas[b] = d[IOVA];
    }
    if (b + 1 < blockCount && n + sizes[b + 1] <= BLOCK_RECORDS / 2) {
      joinNext(b);
    } else if (d.length / FIELDS > FIRST_CAPACITY && n * 4 <= d.length / FIELDS) {
      blocks[b] = Arrays.copyOf(d, capacityFor(n) * FIELDS);
    }
  }

  private static int capacityFor(int records) {
    return Math.min(BLOCK_RECORDS, Math.max(FIRST_CAPACITY, records + (records >> 1)));
  }

  private void addBlock(int at, int capacity) {
    if (blockCount == blocks.length) {
      int grown = Math.max(4, blockCount + (blockCount >> 1));
      blocks = Arrays.copyOf(blocks, grown);
      sizes = Arrays.copyOf(sizes, grown);
      firstIovas = Arrays.copyOf(firstIovas, grown);
    }
    System.arraycopy(blocks, at, blocks, at + 1, blockCount - at);
    System.arraycopy(sizes, at, sizes, at + 1, blockCount - at);
    System.arraycopy(firstIovas, at, firstIovas, at + 1, blockCount - at);
    blocks[at] = new long[capacity * FIELDS];
    sizes[at] = 0;
    blockCount++;
  }

  private void removeBlock(int b) {
    System.arraycopy(blocks, b + 1, blocks, b, blockCount - b - 1);
    System.arraycopy(sizes, b + 1, sizes, b, blockCount - b - 1);
    System.arraycopy(firstIovas, b + 1, firstIovas, b, blockCount - b - 1);
    blockCount--;
    blocks[blockCount] = null;
  }

  /** Moves the records of block {@code b} from {@code keep} on into a new block after it. */
  private void splitBlock(int b, int keep) {
    int moved = sizes[b] - keep;
    addBlock(b + 1, capacityFor(moved));
    long[] from = blocks[b];
    System.arraycopy(from, keep * FIELDS, blocks[b + 1], 0, moved * FIELDS);
    sizes[b + 1] = moved;
    firstIovas[b + 1] = blocks[b + 1][IOVA];
    sizes[b] = keep;
    blocks[b] = Arrays.copyOf(from, capacityFor(keep) * FIELDS);
  }

  /** Appends block {@code b + 1}'s records to block {@code b} and drops it. */
  private void joinNext(int b) {
    int n = sizes[b];
    int m = sizes[b + 1];
    long[] d = Arrays.copyOf(blocks[b], capacityFor(n + m) * FIELDS);
    System.arraycopy(blocks[b + 1], 0, d, n * FIELDS, m * FIELDS);
    blocks[b] = d;
    sizes[b] = n + m;
    removeBlock(b + 1);
  }
}
