package org.guestmem.store.intervaltree;

import static org.guestmem.store.intervaltree.LeafLayout.CHUNK;
import static org.guestmem.store.intervaltree.LeafLayout.CHUNK_SHIFT;
import static org.guestmem.store.intervaltree.LeafLayout.MAX_RUN;
import static org.guestmem.store.intervaltree.LeafLayout.MIN_RUN;
import static org.guestmem.store.intervaltree.LeafLayout.SPARSE;

import java.util.Arrays;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StoreArguments;

/**
 * A two-state store whose memory follows the number of runs: a sorted array of contiguous leaves
 * ({@link LeafArray}, found through a radix {@link SlotIndex}), each a bit-packed list of the blocks where the state
 * flips or, where a chunk is dense, a bitmap ({@link LeafLayout}). A run leaf of k flips over a span s costs about
 * {@code k * log2(s)} bits, near the information limit of {@code log2(gap) + 1.44} bits per run; per leaf the array
 * holds its first block, a reference and a 32-bit descriptor, and no object per run.
 *
 * <p>A change re-encodes only the one or two leaves at the ends of the range and drops the leaves in between
 * ({@link LeafEncoder}). The common small changes avoid that: a range inside one run leaf, or a single block, is
 * spliced into the packed offsets bit-wise, and a change inside a bitmap leaf is done in place with word operations.
 *
 * <p>Not thread-safe: the attribute manager serializes access to each store.
 */
final class PackedRunStateStore implements StateStore {
  private final long blocks;
  private final LeafArray leaves;
  private long ones;
  /**
   * The block the last {@link #get} read, or the last single-block set changed in place, in a run leaf; -1 once
   * anything else changed: a get or a single-block set of that block reuses {@link #lastRank} instead of searching
   * the leaf again.
   */
  private long lastBlock = -1;
  /** Number of flips at or before {@link #lastBlock} in its leaf. */
  private int lastRank;

  PackedRunStateStore(long blocks, int initialState) {
    this.blocks = blocks;
    this.ones = initialState == 1 ? blocks : 0;
    this.leaves = new LeafArray(blocks, initialState);
  }

  private PackedRunStateStore(PackedRunStateStore other) {
    this.blocks = other.blocks;
    this.ones = other.ones;
    this.leaves = other.leaves.copy();
  }

  @Override
  public long blocks() {
    return blocks;
  }

  @Override
  public int states() {
    return 2;
  }

  @Override
  public int get(long block) {
    checkIndex(block);
    LeafArray l = leaves;
    int i = l.find(block);
    if (l.isBitmap(i)) {
      return l.stateIn(i, block);
    }
    // A read of the block just set (or just read) reuses its rank: the attribute manager reads a block back.
    int r = block == lastBlock ? lastRank : l.rank(i, block);
    lastBlock = block;
    lastRank = r;
    return l.startState(i) ^ (r & 1);
  }

  @Override
  public long nextChange(long block) {
    checkIndex(block);
    LeafArray l = leaves;
    int i = l.find(block);
    int st = l.stateIn(i, block);
    long p = block;
    while (true) {
      long e = l.end(i);
      long c;
      if (l.isBitmap(i)) {
        c = l.bitmapNextChange(i, p, st);
      } else {
        int j = l.rank(i, p);
        c = j < l.flips(i) ? l.boundary(i, j) : e;
      }
      if (c < e || e >= blocks) {
        return c;
      }
      i++;
      if (l.startState(i) != st) {
        return e;
      }
      p = e;
    }
  }

  @Override
  public boolean isUniform(long from, long to, int state) {
    checkRange(from, to);
    checkState(state);
    if (from == to) {
      return true;
    }
    return get(from) == state && nextChange(from) >= to;
  }

  @Override
  public RunCursor runs(long from, long to) {
    checkRange(from, to);
    return new PackedRunCursor(leaves, from, to);
  }

  @Override
  public long count(int state) {
    checkState(state);
    return state == 1 ? ones : blocks - ones;
  }

  @Override
  public void set(long from, long to, int state) {
    checkRange(from, to);
    checkState(state);
    if (from == to) {
      return;
    }
    LeafArray l = leaves;
    long read = lastBlock;
    lastBlock = -1;
    int a = l.find(from);
    if (to == from + 1) {
      if (l.isBitmap(a)) {
        flipInBitmap(a, from, state);
        return;
      }
      if (from > l.key(a) && flipInRunLeaf(a, from, state, read == from ? lastRank : l.rank(a, from))) {
        return;
      }
    }
    if (!l.isBitmap(a) && to <= l.end(a) && setInsideRunLeaf(a, from, to, state)) {
      if (((to - 1) ^ from) >>> CHUNK_SHIFT != 0) {
        LeafEncoder.maybeDensify(l, to - 1);
      }
      LeafEncoder.maybeDensify(l, from);
      return;
    }
    ones += (state == 1 ? to - from : 0) - l.onesIn(from, to);
    int b = to <= l.end(a) ? a : l.find(to - 1);
    long lo = from;
    long hi = to;
    long leftBitmap = -1;
    long rightBitmap = -1;
    if (l.isBitmap(a)) {
      long e = Math.min(hi, l.end(a));
      l.fillBitmap(a, lo, e, state);
      leftBitmap = l.key(a);
      lo = e;
      a++;
    }
    if (lo < hi && l.isBitmap(b)) {
      l.fillBitmap(b, l.key(b), hi, state);
      rightBitmap = l.key(b);
      hi = l.key(b);
      b--;
    }
    if (lo < hi) {
      LeafEncoder.setRuns(l, a, b, lo, hi, state);
    }
    if (leftBitmap >= 0) {
      LeafEncoder.maybeSparsify(l, leftBitmap);
    }
    if (rightBitmap >= 0) {
      LeafEncoder.maybeSparsify(l, rightBitmap);
    }
    if (lo < hi) {
      LeafEncoder.maybeDensify(l, lo);
      if (((hi - 1) ^ lo) >>> CHUNK_SHIFT != 0) {
        LeafEncoder.maybeDensify(l, hi - 1);
      }
    }
  }

  /**
   * The common case, a range inside one run leaf that keeps its offset width and stays within
   * {@code [MIN_RUN, MAX_RUN]} flips: splices the packed offsets bit-wise, without decoding the leaf. Returns false,
   * having changed nothing, when the general path is needed.
   */
  private boolean setInsideRunLeaf(int i, long from, long to, int state) {
    LeafArray l = leaves;
    long key = l.key(i);
    long end = l.end(i);
    int n = l.flips(i);
    int start = l.startState(i);
    int r1 = l.rank(i, from - 1); // flips before from are kept
    int r2 = l.rank(i, to); // flips after to are kept
    int before = start ^ (r1 & 1);
    int after = start ^ (r2 & 1);
    boolean flipFrom = from > key && before != state;
    boolean flipTo = to < end && after != state;
    int added = (flipFrom ? 1 : 0) + (flipTo ? 1 : 0);
    int m = n - (r2 - r1) + added;
    if (m > MAX_RUN || (m < MIN_RUN && l.count() > 1) || from == key) {
      return false;
    }
    long[] d = l.words(i);
    int w = l.width(i);
    if ((flipTo && (to - key) >>> w != 0) || (flipFrom && (from - key) >>> w != 0)) {
      return false; // wider offsets: re-encode
    }
    // Blocks in state 1 over [from, to) before the change, walking the flips inside it.
    long shared = 0;
    long q = from;
    int st = before;
    for (int j = r1; j < r2; j++) {
      long f = key + PackedFields.field(d, w, j);
      if (f >= to) {
        break;
      }
      shared += st == 1 ? f - q : 0;
      q = f;
      st ^= 1;
    }
    shared += st == 1 ? to - q : 0;
    ones += (state == 1 ? to - from : 0) - shared;
    if (m == n && added == r2 - r1 && (added == 0 || (!flipFrom || PackedFields.field(d, w, r1) == from - key)
        && (!flipTo || PackedFields.field(d, w, r2 - 1) == to - key))) {
      return true; // the same flips: nothing to re-encode
    }
    long[] nd = new long[(int) (((long) m * w + 63) >>> 6)];
    PackedFields.copyBits(d, 0, nd, 0, (long) r1 * w);
    int j = r1;
    if (flipFrom) {
      PackedFields.putField(nd, w, j++, from - key);
    }
    if (flipTo) {
      PackedFields.putField(nd, w, j++, to - key);
    }
    PackedFields.copyBits(d, (long) r2 * w, nd, (long) j * w, (long) (n - r2) * w);
    l.setRunLeaf(i, nd, LeafLayout.runDescriptor(m, w, start));
    return true;
  }

  /**
   * A single-block set inside bitmap leaf {@code i}: one bit, and the two transitions beside it, which exist after
   * the change exactly where they did not before.
   */
  private void flipInBitmap(int i, long p, int state) {
    LeafArray l = leaves;
    long[] d = l.words(i);
    int o = (int) (p - l.key(i));
    int cur = (int) (d[o >>> 6] >>> o) & 1;
    if (cur == state) {
      return;
    }
    d[o >>> 6] ^= 1L << o;
    ones += state == 1 ? 1 : -1;
    int n = l.flips(i);
    if (o > 0) {
      n += ((int) (d[(o - 1) >>> 6] >>> (o - 1)) & 1) == state ? -1 : 1;
    }
    if (o + 1 < CHUNK) {
      n += ((int) (d[(o + 1) >>> 6] >>> (o + 1)) & 1) == state ? -1 : 1;
    }
    l.setFlips(i, n);
    if (n < SPARSE) {
      LeafEncoder.maybeSparsify(l, l.key(i));
    }
  }

  /**
   * A single-block set of {@code p}, past the first block of run leaf {@code i}, given {@code r}, the number of its
   * flips at or before {@code p}. Changing one block's state toggles the flips at {@code p} and {@code p + 1} (the
   * latter only inside the leaf): two are removed, two inserted, or one moves by one block, in place in the packed
   * offsets. Returns false, having changed nothing, when the leaf would leave {@code [MIN_RUN, MAX_RUN]} flips or
   * need wider offsets; the general path then re-encodes it.
   */
  private boolean flipInRunLeaf(int i, long p, int state, int r) {
    LeafArray l = leaves;
    int start = l.startState(i);
    if ((start ^ (r & 1)) == state) {
      lastBlock = p;
      lastRank = r;
      return true;
    }
    long o = p - l.key(i);
    long[] d = l.words(i);
    int w = l.width(i);
    int n = l.flips(i);
    boolean hasTo = p + 1 < l.end(i);
    boolean atFrom = r > 0 && PackedFields.field(d, w, r - 1) == o;
    boolean atTo = hasTo && r < n && PackedFields.field(d, w, r) == o + 1;
    int m = n + (atFrom ? -1 : 1) + (hasTo ? (atTo ? -1 : 1) : 0);
    long widest = hasTo ? o + 1 : o;
    if (m > MAX_RUN || (m < MIN_RUN && l.count() > 1) || (m >= n && widest >>> w != 0)) {
      return false;
    }
    ones += state == 1 ? 1 : -1;
    if (m == n) {
      // One flip moves by a block: the one at p to p + 1, or the one at p + 1 to p.
      if (atFrom) {
        PackedFields.setField(d, w, r - 1, o + 1);
      } else {
        PackedFields.setField(d, w, r, o);
      }
    } else if (m < n) {
      int at = atFrom ? r - 1 : r;
      int k = n - m;
      PackedFields.shiftDown(d, (long) at * w, (long) k * w);
      int words = (int) (((long) m * w + 63) >>> 6);
      if (d.length > words + 1) {
        // A spare word stays, so that flipping a block back and forth does not reallocate.
        d = Arrays.copyOf(d, words);
      }
    } else {
      int k = m - n;
      int words = (int) (((long) m * w + 63) >>> 6);
      if (d.length < words) {
        d = Arrays.copyOf(d, words);
      }
      PackedFields.shiftUp(d, (long) r * w, (long) k * w);
      PackedFields.setField(d, w, r, o);
      if (k == 2) {
        PackedFields.setField(d, w, r + 1, o + 1);
      }
    }
    l.setRunLeaf(i, d, LeafLayout.runDescriptor(m, w, start));
    long cs = p & -CHUNK;
    // Only a chunk shared with another leaf can hold more than DENSE flips; its re-encoding moves the flips, so the
    // rank of p is kept only where the leaf stays as it is.
    boolean reencoded = m > n && (cs < l.key(i) || cs + CHUNK > l.end(i)) && LeafEncoder.maybeDensify(l, p);
    if (!reencoded) {
      // The flip at p was removed or one inserted there.
      lastBlock = p;
      lastRank = atFrom ? r - 1 : r + 1;
    }
    return true;
  }

  @Override
  public long memoryBytes() {
    // Object: 12-byte header + long blocks + long ones + long lastBlock + int lastRank + one compressed reference
    // = 44, padded to 48.
    return 48 + leaves.memoryBytes();
  }

  /** Number of leaves, for tests and reports. */
  int leafCount() {
    return leaves.count();
  }

  /** Number of bitmap leaves, for tests and reports. */
  int bitmapLeafCount() {
    return leaves.bitmapCount();
  }

  @Override
  public StateStore copy() {
    return new PackedRunStateStore(this);
  }

  private void checkIndex(long block) {
    StoreArguments.checkIndex(block, blocks);
  }

  private void checkRange(long from, long to) {
    StoreArguments.checkRange(from, to, blocks);
  }

  private static void checkState(int state) {
    StoreArguments.checkState(state, 2);
  }

  @Override
  public String toString() {
    return "PackedRunStateStore[blocks=" + blocks + ", ones=" + ones + ", leaves=" + leaves.count()
        + ", bitmapLeaves=" + leaves.bitmapCount() + "]";
  }
}
