package org.guestmem.dma.backend;

import static org.guestmem.spi.IovaRange.atOrBelow;
import static org.guestmem.spi.IovaRange.lastOf;

import java.util.Arrays;
import org.guestmem.spi.MappingRun;
import org.guestmem.spi.MappingRunVisitor;

/**
 * The storage under {@link MappingTable}: records of four {@code long}s (first IOVA, first host address, entry
 * length, and the entry count with the permissions in its top two bits), ordered by unsigned IOVA, in blocks of at
 * most {@value #BLOCK_RECORDS} records under a sorted index of the blocks' first IOVAs. A lookup is two binary
 * searches and an insertion moves at most one block's records; nothing is allocated except when a block grows,
 * shrinks or splits, or the index grows.
 *
 * <p>A record is named by its position, {@code block << 32 | index}, or {@link #NONE}. Positions are plain
 * {@code long}s so that walking and changing records allocates nothing; an insertion or a removal invalidates the
 * positions taken before it. This class knows nothing of entries or of the kernels' rules (what continues what,
 * what may be cut): that is {@link MappingTable}'s. Not thread-safe.
 */
final class RunRecords {
  /** Records per block at most. */
  static final int BLOCK_RECORDS = 256;
  /** No record. */
  static final long NONE = -1;
  /** Permission bits of the fourth field. */
  static final long READABLE = 1L << 63;
  static final long WRITABLE = 1L << 62;
  /** Largest entry count a record holds: the fourth field's low 62 bits. */
  static final long MAX_COUNT = WRITABLE - 1;
  private static final int FIELDS = 4;
  private static final int IOVA = 0;
  private static final int VADDR = 1;
  private static final int LENGTH = 2;
  private static final int META = 3;
  private static final int FIRST_CAPACITY = 4;

  // Block b holds sizes[b] records in blocks[b]; firstIovas[b] is its first record's IOVA.
  private long[][] blocks = new long[0][];
  private int[] sizes = new int[0];
  private long[] firstIovas = new long[0];
  private int blockCount;
  private int records;

  /** The permission bits for a record's fourth field. */
  static long permissions(boolean readable, boolean writable) {
    return (readable ? READABLE : 0) | (writable ? WRITABLE : 0);
  }

  /** Number of records. */
  int size() {
    return records;
  }

  /** Drops every record and the blocks with them. */
  void clear() {
    blocks = new long[0][];
    sizes = new int[0];
    firstIovas = new long[0];
    blockCount = 0;
    records = 0;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fields of a record

  private long[] data(long p) {
    return blocks[(int) (p >>> 32)];
  }

  private static int offset(long p) {
    return (int) p * FIELDS;
  }

  long iova(long p) {
    return data(p)[offset(p) + IOVA];
  }

  long vaddr(long p) {
    return data(p)[offset(p) + VADDR];
  }

  long length(long p) {
    return data(p)[offset(p) + LENGTH];
  }

  long count(long p) {
    return data(p)[offset(p) + META] & MAX_COUNT;
  }

  /** The permission bits ({@link #READABLE}, {@link #WRITABLE}). */
  long permissions(long p) {
    return data(p)[offset(p) + META] & ~MAX_COUNT;
  }

  /** The last IOVA the record's entries hold (inclusive). */
  long last(long p) {
    long[] d = data(p);
    int o = offset(p);
    return lastOf(d[o + IOVA], d[o + LENGTH] * (d[o + META] & MAX_COUNT));
  }

  /** Record {@code p} as a run (allocates). */
  MappingRun run(long p) {
    return run(data(p), offset(p));
  }

  private static MappingRun run(long[] d, int o) {
    long meta = d[o + META];
    return new MappingRun(d[o + IOVA], d[o + VADDR], d[o + LENGTH], meta & MAX_COUNT, (meta & READABLE) != 0,
        (meta & WRITABLE) != 0);
  }

  /** Calls {@code visitor} for every record, ascending; it must not change these records. */
  void forEachRun(MappingRunVisitor visitor) {
    for (int b = 0; b < blockCount; b++) {
      long[] d = blocks[b];
      for (int i = 0, n = sizes[b]; i < n; i++) {
        visitor.visit(run(d, i * FIELDS));
      }
    }
  }

  void setCount(long p, long count) {
    long[] d = data(p);
    int o = offset(p);
    d[o + META] = (d[o + META] & ~MAX_COUNT) | count;
  }

  void setLength(long p, long length) {
    data(p)[offset(p) + LENGTH] = length;
  }

  /** Moves the record's start; the caller keeps the records in IOVA order. */
  void setStart(long p, long iova, long vaddr) {
    long[] d = data(p);
    int o = offset(p);
    d[o + IOVA] = iova;
    d[o + VADDR] = vaddr;
    if ((int) p == 0) {
      firstIovas[(int) (p >>> 32)] = iova;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Positions

  private static long position(int block, int index) {
    return (long) block << 32 | index;
  }

  /** The lowest record, or NONE. */
  long first() {
    return blockCount == 0 ? NONE : position(0, 0);
  }

  /** The record after {@code p}, or NONE. */
  long next(long p) {
    int b = (int) (p >>> 32);
    int i = (int) p;
    if (i + 1 < sizes[b]) {
      return p + 1;
    }
    return b + 1 < blockCount ? position(b + 1, 0) : NONE;
  }

  /** The record before {@code p}, or NONE. */
  long previous(long p) {
    int b = (int) (p >>> 32);
    int i = (int) p;
    if (i > 0) {
      return p - 1;
    }
    return b > 0 ? position(b - 1, sizes[b - 1] - 1) : NONE;
  }

  /** The record with the highest first IOVA at or below {@code iova} (unsigned), or NONE. */
  long floor(long iova) {
    int lo = 0;
    int hi = blockCount - 1;
    int b = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (atOrBelow(firstIovas[mid], iova)) {
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
      if (atOrBelow(d[mid * FIELDS + IOVA], iova)) {
        i = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return position(b, i);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Insertion, removal and blocks

  /**
   * Inserts a record right after {@code p} (at the very front for NONE) and returns its position; positions
   * returned before are invalid afterwards. The caller keeps the records in IOVA order.
   */
  long insertAfter(long p, long iova, long vaddr, long length, long meta) {
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
  void removeAt(long p) {
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
