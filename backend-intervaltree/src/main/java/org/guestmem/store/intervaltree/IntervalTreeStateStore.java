package org.guestmem.store.intervaltree;

import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StoreArguments;

/**
 * A two-state store whose memory follows the number of runs. The blocks {@code [0, blocks)} are cut into
 * contiguous <em>leaves</em>, found by binary search over their first blocks ({@code keys}); each leaf is one
 * {@code long[]} in one of two encodings, chosen by density as Roaring chooses container kinds:
 *
 * <ul>
 *   <li><b>run leaf</b>: the leaf's state at its first block, and the positions where the state flips inside it,
 *       stored as offsets from the leaf's first block, bit-packed at the width of the largest offset (so a leaf of
 *       k flips over a span s costs about {@code k * log2(s)} bits, near the information limit of
 *       {@code log2(gap) + 1.44} bits per run). At most {@value #MAX_RUN} flips; leaves below {@value #MIN_RUN}
 *       merge with a neighbour.
 *   <li><b>bitmap leaf</b>: one bit per block over one aligned chunk of {@value #CHUNK} blocks, used where a chunk
 *       holds more than {@value #DENSE} flips (a flip then costs less than 16 bits as a bit than as an offset);
 *       it turns back into runs below {@value #SPARSE} flips (hysteresis, so that a chunk near the threshold does
 *       not flap).
 * </ul>
 *
 * <p>Per leaf, the index holds its first block ({@code long}), a reference and a 32-bit descriptor (flip count,
 * offset width, start state, kind): no object per run or per leaf beyond its array. A change re-encodes only the
 * one or two leaves at the ends of the range and drops the leaves in between, so a range set costs O(log leaves +
 * {@value #MAX_RUN}) whatever its length; a change inside a bitmap leaf is done in place with word operations.
 *
 * <p>Not thread-safe: the attribute manager serializes access to each store.
 */
final class IntervalTreeStateStore implements StateStore {
  static final int CHUNK_SHIFT = 11;
  static final long CHUNK = 1L << CHUNK_SHIFT;
  static final int CHUNK_WORDS = (int) (CHUNK >>> 6);
  static final int MAX_RUN = 128;
  static final int MIN_RUN = 32;
  static final int DENSE = 128;
  static final int SPARSE = 32;
  /** Fields a rank walks from its guess before it falls back to a binary search. */
  private static final int WALK = 8;

  private static final int COUNT_MASK = 0xFFFF;
  private static final int WIDTH_SHIFT = 16;
  private static final int STATE_BIT = 1 << 23;
  private static final int BITMAP_BIT = 1 << 24;
  private static final long[] NO_WORDS = {};

  private final long blocks;
  private long ones;
  private int leafCount;
  /** The leaf the last lookup found: a set is usually preceded by a get or a count on the same leaf. */
  private int hint;
  /**
   * The block the last {@link #get} read, or the last single-block set changed in place, in a run leaf; -1 once
   * anything else changed: a get or a single-block set of that block reuses {@link #lastRank} instead of searching
   * the leaf again.
   */
  private long lastBlock = -1;
  /** Number of flips at or before {@link #lastBlock} in its leaf. */
  private int lastRank;
  private long[] keys;
  private long[][] data;
  private int[] meta;
  /**
   * The radix index over {@link #keys}: slot {@code t} holds the leaf holding block {@code t << slotShift}, so a
   * lookup searches only the leaves between two slots (about one, at one slot per leaf) instead of all of them.
   */
  private int[] slots;
  private int slotShift;

  IntervalTreeStateStore(long blocks, int initialState) {
    this.blocks = blocks;
    this.ones = initialState == 1 ? blocks : 0;
    this.leafCount = 1;
    this.keys = new long[1];
    this.data = new long[][] {new long[0]};
    this.meta = new int[] {runMeta(0, 1, initialState)};
    buildSlots();
  }

  private IntervalTreeStateStore(IntervalTreeStateStore other) {
    this.blocks = other.blocks;
    this.ones = other.ones;
    this.leafCount = other.leafCount;
    this.keys = java.util.Arrays.copyOf(other.keys, leafCount);
    this.meta = java.util.Arrays.copyOf(other.meta, leafCount);
    this.data = new long[leafCount][];
    for (int i = 0; i < leafCount; i++) {
      data[i] = other.data[i].clone();
    }
    this.slots = other.slots.clone();
    this.slotShift = other.slotShift;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Slot table

  /** Rebuilds the slot table at about one slot per leaf (a power of two, at most one per block). */
  private void buildSlots() {
    int bits = blocks <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(blocks - 1);
    int logSlots = Math.min(bits, 32 - Integer.numberOfLeadingZeros(leafCount - 1));
    slotShift = bits - logSlots;
    slots = new int[1 << logSlots];
    fillSlots(0, slots.length, 0);
  }

  /** Sets slots {@code [t0, t1)} walking the leaves from {@code leaf}, which is at or before slot t0's leaf. */
  private void fillSlots(int t0, int t1, int leaf) {
    int l = leaf;
    for (int t = t0; t < t1; t++) {
      long start = (long) t << slotShift;
      while (l + 1 < leafCount && keys[l + 1] <= start) {
        l++;
      }
      slots[t] = l;
    }
  }

  /**
   * Brings the slot table up to date after leaves {@code a..a+removed-1} became {@code added} leaves: the slots
   * in their span are refilled and the slots after it move by the difference; the table is rebuilt when the leaf
   * count outgrows it or falls to a quarter of it.
   */
  private void reslot(int a, int removed, int added) {
    int size = slots.length;
    if ((leafCount > size && slotShift > 0) || (size > 1 && leafCount < size >>> 2)) {
      buildSlots();
      return;
    }
    long round = (1L << slotShift) - 1;
    long k0 = keys[a];
    long k1 = a + added < leafCount ? keys[a + added] : blocks;
    int t0 = (int) Math.min(size, (k0 + round) >>> slotShift);
    int t1 = (int) Math.min(size, (k1 + round) >>> slotShift);
    fillSlots(t0, t1, a);
    int delta = added - removed;
    if (delta != 0) {
      int[] s = slots;
      for (int t = t1; t < size; t++) {
        s[t] += delta;
      }
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Leaf descriptors

  private static int runMeta(int count, int width, int startState) {
    return count | width << WIDTH_SHIFT | (startState == 1 ? STATE_BIT : 0);
  }

  private long leafEnd(int i) {
    return i + 1 < leafCount ? keys[i + 1] : blocks;
  }

  private boolean isBitmap(int i) {
    return (meta[i] & BITMAP_BIT) != 0;
  }

  private int flips(int i) {
    return meta[i] & COUNT_MASK;
  }

  private int width(int i) {
    return (meta[i] >>> WIDTH_SHIFT) & 0x7F;
  }

  private int startState(int i) {
    if (isBitmap(i)) {
      return (int) data[i][0] & 1;
    }
    return (meta[i] & STATE_BIT) != 0 ? 1 : 0;
  }

  private int endState(int i) {
    if (isBitmap(i)) {
      return (int) (data[i][CHUNK_WORDS - 1] >>> 63);
    }
    return startState(i) ^ (flips(i) & 1);
  }

  /** The leaf holding block {@code p}: the last leaf whose first block is at or before it. */
  private int leafIndex(long p) {
    int h = hint;
    if (h < leafCount && keys[h] <= p && (h + 1 == leafCount || keys[h + 1] > p)) {
      return h;
    }
    // Branch-free search between the two slots around p: the comparisons on random positions are unpredictable.
    int t = (int) (p >>> slotShift);
    int lo = slots[t];
    int len = (t + 1 < slots.length ? slots[t + 1] : leafCount - 1) - lo + 1;
    while (len > 1) {
      int half = len >>> 1;
      lo = keys[lo + half] <= p ? lo + half : lo;
      len -= half;
    }
    hint = lo;
    return lo;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Run leaves: bit-packed offsets

  static long field(long[] d, int w, int j) {
    long bit = (long) j * w;
    int word = (int) (bit >>> 6);
    int off = (int) bit & 63;
    // Branch-free, as the searches read fields at unpredictable places: the next word (or this one again at the
    // end of the array, whose high bits the mask then drops) supplies the bits past this word; shifting by 1 then
    // 63 - off is a shift by 64 - off that yields zero when off is 0.
    long high = d[Math.min(word + 1, d.length - 1)];
    long v = d[word] >>> off | (high << 1) << (63 - off);
    return v & (-1L >>> (64 - w));
  }

  /** Overwrites field {@code j} (whatever its bits held) with {@code v}. */
  private static void setField(long[] d, int w, int j, long v) {
    writeBits(d, (long) j * w, w, v);
  }

  private static void writeBits(long[] d, long pos, int n, long v) {
    int word = (int) (pos >>> 6);
    int off = (int) pos & 63;
    long mask = -1L >>> (64 - n);
    d[word] = d[word] & ~(mask << off) | v << off;
    if (off + n > 64) {
      d[word + 1] = d[word + 1] & ~(mask >>> (64 - off)) | v >>> (64 - off);
    }
  }

  /**
   * Shifts the bits of {@code d} from {@code a} up by {@code s} (those shifted past its end must be zero); bits
   * below {@code a} are kept, bits {@code [a, a + s)} are left undefined. Word-wise, as a funnel shift.
   */
  private static void shiftUp(long[] d, long a, long s) {
    int q = (int) (s >>> 6);
    int t = (int) s & 63;
    int lo = (int) ((a + s) >>> 6);
    if (lo >= d.length) {
      return; // nothing above a: the new bits end the array
    }
    long orig = d[lo];
    if (q == 0) {
      // The usual case (two fields of under 32 bits): each word takes its own bits and its lower neighbour's.
      for (int j = d.length - 1; j > 0 && j >= lo; j--) {
        d[j] = d[j] << t | d[j - 1] >>> (64 - t);
      }
      if (lo == 0) {
        d[0] <<= t;
      }
    } else {
      for (int j = d.length - 1; j >= lo; j--) {
        long v = d[j - q] << t;
        if (t != 0 && j - q > 0) {
          v |= d[j - q - 1] >>> (64 - t);
        }
        d[j] = v;
      }
    }
    if (a >>> 6 == lo) {
      long keep = (1L << a) - 1;
      d[lo] = orig & keep | d[lo] & ~keep;
    }
  }

  /** Shifts the bits of {@code d} above {@code a + s} down by {@code s}, over {@code [a, a + s)}; zeros come in. */
  private static void shiftDown(long[] d, long a, long s) {
    int q = (int) (s >>> 6);
    int t = (int) s & 63;
    int lo = (int) (a >>> 6);
    int len = d.length;
    long orig = d[lo];
    if (q == 0) {
      for (int j = lo; j < len - 1; j++) {
        d[j] = d[j] >>> t | d[j + 1] << (64 - t);
      }
      d[len - 1] >>>= t;
    } else {
      for (int j = lo; j < len; j++) {
        long v = j + q < len ? d[j + q] >>> t : 0;
        if (t != 0 && j + q + 1 < len) {
          v |= d[j + q + 1] << (64 - t);
        }
        d[j] = v;
      }
    }
    long keep = (1L << a) - 1;
    d[lo] = orig & keep | d[lo] & ~keep;
  }

  private static void putField(long[] d, int w, int j, long v) {
    long bit = (long) j * w;
    int word = (int) (bit >>> 6);
    int off = (int) bit & 63;
    d[word] |= v << off;
    if (off + w > 64) {
      d[word + 1] |= v >>> (64 - off);
    }
  }

  private long boundary(int i, int j) {
    return keys[i] + field(data[i], width(i), j);
  }

  /** Number of flips of run leaf {@code i} at or before block {@code p}. */
  private int rank(int i, long p) {
    long o = p - keys[i];
    if (o <= 0) {
      return 0;
    }
    int n = flips(i);
    if (n == 0) {
      return 0;
    }
    long[] d = data[i];
    int w = width(i);
    // Flips are spread roughly evenly over a leaf: start where o would sit and walk a few fields, which touches
    // one or two cache lines where a binary search touches one per step; a skewed leaf ends in a binary search.
    int g = (int) Math.min(n - 1, (long) ((double) o / (leafEnd(i) - keys[i]) * n));
    if (field(d, w, g) <= o) {
      int limit = Math.min(n, g + 1 + WALK);
      int j = g + 1;
      while (j < limit && field(d, w, j) <= o) {
        j++;
      }
      return j < limit || j == n ? j : search(d, w, j, n, o);
    }
    int limit = Math.max(-1, g - 1 - WALK);
    int j = g - 1;
    while (j > limit && field(d, w, j) > o) {
      j--;
    }
    return j > limit || j < 0 ? j + 1 : search(d, w, 0, j + 1, o);
  }

  /** {@code lo} plus the number of fields in {@code [lo, hi)} at or below {@code o}, {@code lo < hi}. */
  private static int search(long[] d, int w, int lo, int hi, long o) {
    // Branch-free: the comparisons are unpredictable.
    int len = hi - lo;
    while (len > 1) {
      int half = len >>> 1;
      lo = field(d, w, lo + half) <= o ? lo + half : lo;
      len -= half;
    }
    return field(d, w, lo) <= o ? lo + 1 : lo;
  }

  private int stateIn(int i, long p) {
    if (isBitmap(i)) {
      long o = p - keys[i];
      return (int) (data[i][(int) (o >>> 6)] >>> o) & 1;
    }
    return startState(i) ^ (rank(i, p) & 1);
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Bitmap leaves

  /** First block after {@code p} in bitmap leaf {@code i} whose bit differs from {@code st}, or the leaf's end. */
  private long bitmapNextChange(int i, long p, int st) {
    long base = keys[i];
    long o = p - base + 1;
    if (o >= CHUNK) {
      return base + CHUNK;
    }
    long[] d = data[i];
    long flip = st == 1 ? -1L : 0L;
    int w = (int) (o >>> 6);
    long x = (d[w] ^ flip) & (-1L << o);
    while (x == 0) {
      if (++w == CHUNK_WORDS) {
        return base + CHUNK;
      }
      x = d[w] ^ flip;
    }
    return base + ((long) w << 6) + Long.numberOfTrailingZeros(x);
  }

  private static void fill(long[] d, long lo, long hi, int st) {
    if (lo >= hi) {
      return;
    }
    int first = (int) (lo >>> 6);
    int last = (int) ((hi - 1) >>> 6);
    long firstMask = -1L << lo;
    long lastMask = -1L >>> (63 - ((hi - 1) & 63));
    if (first == last) {
      long m = firstMask & lastMask;
      d[first] = st == 1 ? d[first] | m : d[first] & ~m;
      return;
    }
    d[first] = st == 1 ? d[first] | firstMask : d[first] & ~firstMask;
    long all = st == 1 ? -1L : 0L;
    for (int w = first + 1; w < last; w++) {
      d[w] = all;
    }
    d[last] = st == 1 ? d[last] | lastMask : d[last] & ~lastMask;
  }

  private static long popcount(long[] d, long lo, long hi) {
    if (lo >= hi) {
      return 0;
    }
    int first = (int) (lo >>> 6);
    int last = (int) ((hi - 1) >>> 6);
    long firstMask = -1L << lo;
    long lastMask = -1L >>> (63 - ((hi - 1) & 63));
    if (first == last) {
      return Long.bitCount(d[first] & firstMask & lastMask);
    }
    long n = Long.bitCount(d[first] & firstMask) + Long.bitCount(d[last] & lastMask);
    for (int w = first + 1; w < last; w++) {
      n += Long.bitCount(d[w]);
    }
    return n;
  }

  /** Number of bit positions q in {@code [lo, hi)}, {@code lo >= 1}, whose bit differs from bit q - 1. */
  private static int transitions(long[] d, long lo, long hi) {
    if (lo >= hi) {
      return 0;
    }
    int first = (int) (lo >>> 6);
    int last = (int) ((hi - 1) >>> 6);
    int n = 0;
    for (int w = first; w <= last; w++) {
      long carry = w == 0 ? 0 : d[w - 1] >>> 63;
      long t = d[w] ^ (d[w] << 1 | carry);
      if (w == first) {
        t &= -1L << lo;
      }
      if (w == last) {
        t &= -1L >>> (63 - ((hi - 1) & 63));
      }
      n += Long.bitCount(t);
    }
    return n;
  }

  private void bitmapSet(int i, long from, long to, int st) {
    long[] d = data[i];
    long lo = from - keys[i];
    long hi = to - keys[i];
    long windowLo = Math.max(1, lo);
    long windowHi = Math.min(CHUNK, hi + 1);
    int before = transitions(d, windowLo, windowHi);
    fill(d, lo, hi, st);
    int after = transitions(d, windowLo, windowHi);
    meta[i] = (meta[i] & ~COUNT_MASK) | (flips(i) + after - before);
  }

  // ----------------------------------------------------------------------------------------------------------------
  // StateStore

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
    int i = leafIndex(block);
    if (isBitmap(i)) {
      return stateIn(i, block);
    }
    // A read of the block just set (or just read) reuses its rank: the attribute manager reads a block back.
    int r = block == lastBlock ? lastRank : rank(i, block);
    lastBlock = block;
    lastRank = r;
    return startState(i) ^ (r & 1);
  }

  @Override
  public long nextChange(long block) {
    checkIndex(block);
    int i = leafIndex(block);
    int st = stateIn(i, block);
    long p = block;
    while (true) {
      long e = leafEnd(i);
      long c;
      if (isBitmap(i)) {
        c = bitmapNextChange(i, p, st);
      } else {
        int j = rank(i, p);
        c = j < flips(i) ? boundary(i, j) : e;
      }
      if (c < e || e >= blocks) {
        return c;
      }
      i++;
      if (startState(i) != st) {
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
    return new Cursor(from, to);
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
    long read = lastBlock;
    lastBlock = -1;
    int a = leafIndex(from);
    if (to == from + 1) {
      if (isBitmap(a)) {
        flipInBitmap(a, from, state);
        return;
      }
      if (from > keys[a] && flipInRunLeaf(a, from, state, read == from ? lastRank : rank(a, from))) {
        return;
      }
    }
    if (!isBitmap(a) && to <= leafEnd(a) && setInsideRunLeaf(a, from, to, state)) {
      if (((to - 1) ^ from) >>> CHUNK_SHIFT != 0) {
        maybeDensify(to - 1);
      }
      maybeDensify(from);
      return;
    }
    ones += (state == 1 ? to - from : 0) - onesIn(from, to);
    int b = to <= leafEnd(a) ? a : leafIndex(to - 1);
    long lo = from;
    long hi = to;
    long leftBitmap = -1;
    long rightBitmap = -1;
    if (isBitmap(a)) {
      long e = Math.min(hi, leafEnd(a));
      bitmapSet(a, lo, e, state);
      leftBitmap = keys[a];
      lo = e;
      a++;
    }
    if (lo < hi && isBitmap(b)) {
      bitmapSet(b, keys[b], hi, state);
      rightBitmap = keys[b];
      hi = keys[b];
      b--;
    }
    if (lo < hi) {
      setRuns(a, b, lo, hi, state);
    }
    if (leftBitmap >= 0) {
      maybeSparsify(leftBitmap);
    }
    if (rightBitmap >= 0) {
      maybeSparsify(rightBitmap);
    }
    if (lo < hi) {
      maybeDensify(lo);
      if (((hi - 1) ^ lo) >>> CHUNK_SHIFT != 0) {
        maybeDensify(hi - 1);
      }
    }
  }

  /**
   * The common case, a range inside one run leaf that keeps its offset width and stays within
   * {@code [MIN_RUN, MAX_RUN]} flips: splices the packed offsets bit-wise, without decoding the leaf. Returns false,
   * having changed nothing, when the general path is needed.
   */
  private boolean setInsideRunLeaf(int i, long from, long to, int state) {
    long key = keys[i];
    long end = leafEnd(i);
    int n = flips(i);
    int start = startState(i);
    int r1 = rank(i, from - 1); // flips before from are kept
    int r2 = rank(i, to); // flips after to are kept
    int before = start ^ (r1 & 1);
    int after = start ^ (r2 & 1);
    boolean flipFrom = from > key && before != state;
    boolean flipTo = to < end && after != state;
    int added = (flipFrom ? 1 : 0) + (flipTo ? 1 : 0);
    int m = n - (r2 - r1) + added;
    if (m > MAX_RUN || (m < MIN_RUN && leafCount > 1) || from == key) {
      return false;
    }
    long[] d = data[i];
    int w = width(i);
    if ((flipTo && (to - key) >>> w != 0) || (flipFrom && (from - key) >>> w != 0)) {
      return false; // wider offsets: re-encode
    }
    // Blocks in state 1 over [from, to) before the change, walking the flips inside it.
    long shared = 0;
    long q = from;
    int st = before;
    for (int j = r1; j < r2; j++) {
      long f = key + field(d, w, j);
      if (f >= to) {
        break;
      }
      shared += st == 1 ? f - q : 0;
      q = f;
      st ^= 1;
    }
    shared += st == 1 ? to - q : 0;
    ones += (state == 1 ? to - from : 0) - shared;
    if (m == n && added == r2 - r1 && (added == 0
        || (!flipFrom || field(d, w, r1) == from - key) && (!flipTo || field(d, w, r2 - 1) == to - key))) {
      return true; // the same flips: nothing to re-encode
    }
    long[] nd = new long[(int) (((long) m * w + 63) >>> 6)];
    copyBits(d, 0, nd, 0, (long) r1 * w);
    int j = r1;
    if (flipFrom) {
      putField(nd, w, j++, from - key);
    }
    if (flipTo) {
      putField(nd, w, j++, to - key);
    }
    copyBits(d, (long) r2 * w, nd, (long) j * w, (long) (n - r2) * w);
    data[i] = nd;
    meta[i] = runMeta(m, w, start);
    return true;
  }

  /**
   * A single-block set inside bitmap leaf {@code i}: one bit, and the two transitions beside it, which exist after
   * the change exactly where they did not before.
   */
  private void flipInBitmap(int i, long p, int state) {
    long[] d = data[i];
    int o = (int) (p - keys[i]);
    int cur = (int) (d[o >>> 6] >>> o) & 1;
    if (cur == state) {
      return;
    }
    d[o >>> 6] ^= 1L << o;
    ones += state == 1 ? 1 : -1;
    int n = flips(i);
    if (o > 0) {
      n += ((int) (d[(o - 1) >>> 6] >>> (o - 1)) & 1) == state ? -1 : 1;
    }
    if (o + 1 < CHUNK) {
      n += ((int) (d[(o + 1) >>> 6] >>> (o + 1)) & 1) == state ? -1 : 1;
    }
    meta[i] = (meta[i] & ~COUNT_MASK) | n;
    if (n < SPARSE) {
      maybeSparsify(keys[i]);
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
    int start = startState(i);
    if ((start ^ (r & 1)) == state) {
      lastBlock = p;
      lastRank = r;
      return true;
    }
    long o = p - keys[i];
    long[] d = data[i];
    int w = width(i);
    int n = flips(i);
    boolean hasTo = p + 1 < leafEnd(i);
    boolean atFrom = r > 0 && field(d, w, r - 1) == o;
    boolean atTo = hasTo && r < n && field(d, w, r) == o + 1;
    int m = n + (atFrom ? -1 : 1) + (hasTo ? (atTo ? -1 : 1) : 0);
    long widest = hasTo ? o + 1 : o;
    if (m > MAX_RUN || (m < MIN_RUN && leafCount > 1) || (m >= n && widest >>> w != 0)) {
      return false;
    }
    ones += state == 1 ? 1 : -1;
    if (m == n) {
      // One flip moves by a block: the one at p to p + 1, or the one at p + 1 to p.
      if (atFrom) {
        setField(d, w, r - 1, o + 1);
      } else {
        setField(d, w, r, o);
      }
    } else if (m < n) {
      int at = atFrom ? r - 1 : r;
      int k = n - m;
      shiftDown(d, (long) at * w, (long) k * w);
      int words = (int) (((long) m * w + 63) >>> 6);
      if (d.length > words + 1) {
        // A spare word stays, so that flipping a block back and forth does not reallocate.
        data[i] = java.util.Arrays.copyOf(d, words);
      }
    } else {
      int k = m - n;
      int words = (int) (((long) m * w + 63) >>> 6);
      if (d.length < words) {
        d = java.util.Arrays.copyOf(d, words);
        data[i] = d;
      }
      shiftUp(d, (long) r * w, (long) k * w);
      setField(d, w, r, o);
      if (k == 2) {
        setField(d, w, r + 1, o + 1);
      }
    }
    meta[i] = runMeta(m, w, start);
    // The flip at p was removed or one inserted there; a re-encoding by maybeDensify forgets this again.
    lastBlock = p;
    lastRank = atFrom ? r - 1 : r + 1;
    long cs = p & -CHUNK;
    if (m > n && (cs < keys[i] || cs + CHUNK > leafEnd(i))) {
      maybeDensify(p); // only a chunk shared with another leaf can hold more than DENSE flips
    }
    return true;
  }

  /** Copies {@code len} bits from {@code src} at bit {@code sp} into zeroed bits of {@code dst} at {@code dp}. */
  private static void copyBits(long[] src, long sp, long[] dst, long dp, long len) {
    while (len > 0) {
      int n = (int) Math.min(64, len);
      long v = readBits(src, sp, n);
      int word = (int) (dp >>> 6);
      int off = (int) dp & 63;
      dst[word] |= v << off;
      if (off + n > 64) {
        dst[word + 1] |= v >>> (64 - off);
      }
      sp += n;
      dp += n;
      len -= n;
    }
  }

  private static long readBits(long[] d, long pos, int n) {
    int word = (int) (pos >>> 6);
    int off = (int) pos & 63;
    long v = d[word] >>> off;
    if (off + n > 64) {
      v |= d[word + 1] << (64 - off);
    }
    return n == 64 ? v : v & ((1L << n) - 1);
  }

  /** Number of blocks of {@code [from, to)} in state 1, before a change. */
  private long onesIn(long from, long to) {
    long total = 0;
    int i = leafIndex(from);
    long p = from;
    while (p < to) {
      long e = Math.min(to, leafEnd(i));
      if (isBitmap(i)) {
        total += popcount(data[i], p - keys[i], e - keys[i]);
      } else {
        int j = rank(i, p);
        int st = startState(i) ^ (j & 1);
        int c = flips(i);
        long q = p;
        while (q < e) {
          long n = j < c ? Math.min(e, boundary(i, j)) : e;
          if (st == 1) {
            total += n - q;
          }
          q = n;
          st ^= 1;
          j++;
        }
      }
      p = e;
      i++;
    }
    return total;
  }

  /**
   * Sets {@code [lo, hi)} over leaves {@code a..b}, of which only {@code a} and {@code b} may be partly covered
   * (and then are run leaves): the flips of {@code a} before {@code lo} and of {@code b} after {@code hi} are kept,
   * the leaves are re-encoded, and everything in between is dropped.
   */
  private void setRuns(int a, int b, long lo, long hi, int state) {
    long k0 = keys[a];
    long k1 = leafEnd(b);
    int ca = lo > k0 ? flips(a) : 0;
    int cb = hi < k1 ? flips(b) : 0;
    long[] buf = new long[ca + cb + MAX_RUN + 8];
    int m = 0;
    int s0;
    if (lo > k0) {
      int r = rank(a, lo - 1);
      decodeRun(a, 0, r, buf, 0);
      m = r;
      s0 = startState(a);
      if ((s0 ^ (r & 1)) != state) {
        buf[m++] = lo;
      }
    } else {
      s0 = state;
    }
    if (hi < k1) {
      int r = rank(b, hi);
      if ((startState(b) ^ (r & 1)) != state) {
        buf[m++] = hi;
      }
      decodeRun(b, r, cb, buf, m);
      m += cb - r;
    }
    rebuild(a, b, s0, buf, m);
  }

  private void decodeRun(int i, int fromIndex, int toIndex, long[] buf, int at) {
    long key = keys[i];
    long[] d = data[i];
    int w = width(i);
    for (int j = fromIndex; j < toIndex; j++) {
      buf[at++] = key + field(d, w, j);
    }
  }

  /** Writes every flip inside leaves {@code i..k}, including flips at their first blocks, and returns the count. */
  private int decodeLeaves(int i, int k, long[] buf) {
    int m = 0;
    int cur = startState(i);
    for (int t = i; t <= k; t++) {
      if (t > i && startState(t) != cur) {
        buf[m++] = keys[t];
        cur ^= 1;
      }
      if (isBitmap(t)) {
        long[] d = data[t];
        long base = keys[t];
        for (int w = 0; w < CHUNK_WORDS; w++) {
          long carry = w == 0 ? d[0] & 1 : d[w - 1] >>> 63;
          long x = d[w] ^ (d[w] << 1 | carry);
          while (x != 0) {
            buf[m++] = base + ((long) w << 6) + Long.numberOfTrailingZeros(x);
            x &= x - 1;
          }
        }
        cur = endState(t);
      } else {
        decodeRun(t, 0, flips(t), buf, m);
        m += flips(t);
        cur ^= flips(t) & 1;
      }
    }
    return m;
  }

  private int leafFlipsBound(int i) {
    return flips(i) + 1;
  }

  private void maybeSparsify(long key) {
    int i = leafIndex(key);
    if (keys[i] != key || !isBitmap(i) || flips(i) >= SPARSE) {
      return;
    }
    long[] buf = new long[flips(i) + MAX_RUN + 8];
    int m = decodeLeaves(i, i, buf);
    rebuild(i, i, startState(i), buf, m);
  }

  /** Turns the chunk holding {@code p} into a bitmap leaf if the run leaves over it hold more than DENSE flips. */
  private void maybeDensify(long p) {
    long cs = p & -CHUNK;
    long ce = cs + CHUNK;
    if (ce > blocks) {
      return;
    }
    int i = leafIndex(cs);
    int k = leafIndex(ce - 1);
    if (i == k) {
      return; // a bitmap leaf already, or one run leaf, which never holds more than DENSE flips
    }
    int flips = 0;
    int size = 0;
    for (int t = i; t <= k; t++) {
      long lo = Math.max(cs, keys[t]);
      long hi = Math.min(ce, leafEnd(t));
      flips += rank(t, hi - 1) - rank(t, lo) + 1;
      size += leafFlipsBound(t);
    }
    if (flips <= DENSE) {
      return;
    }
    long[] buf = new long[size + MAX_RUN + 8];
    int m = decodeLeaves(i, k, buf);
    rebuild(i, k, startState(i), buf, m);
  }

  /**
   * Replaces leaves {@code a..b} with the leaves that encode flips {@code buf[0, m)} (strictly inside their span)
   * from start state {@code s0}; a short result first absorbs a run-leaf neighbour. {@code buf} has room for
   * MAX_RUN + 2 more entries (a neighbour is absorbed only while the total stays within MAX_RUN).
   */
  private void rebuild(int a, int b, int s0, long[] buf, int m) {
    long k0 = keys[a];
    long k1 = leafEnd(b);
    if (m < MIN_RUN && a > 0 && !isBitmap(a - 1) && flips(a - 1) + m + 1 <= MAX_RUN) {
      int c = flips(a - 1);
      int add = c + (endState(a - 1) != s0 ? 1 : 0);
      System.arraycopy(buf, 0, buf, add, m);
      decodeRun(a - 1, 0, c, buf, 0);
      if (add > c) {
        buf[c] = k0;
      }
      m += add;
      a--;
      k0 = keys[a];
      s0 = startState(a);
    }
    if (m < MIN_RUN && b + 1 < leafCount && !isBitmap(b + 1) && flips(b + 1) + m + 1 <= MAX_RUN) {
      if (startState(b + 1) != (s0 ^ (m & 1))) {
        buf[m++] = k1;
      }
      b++;
      decodeRun(b, 0, flips(b), buf, m);
      m += flips(b);
      k1 = leafEnd(b);
    }
    Leaves out = new Leaves();
    emit(out, k0, k1, s0, buf, m);
    replace(a, b, out);
  }

  /** Encodes flips {@code buf[0, m)} over {@code [k0, k1)}: dense aligned chunks as bitmaps, the rest as runs. */
  private static void emit(Leaves out, long k0, long k1, int s0, long[] buf, int m) {
    long ls = k0;
    int lst = s0;
    int f = 0;
    int i = 0;
    while (i < m) {
      long cs = buf[i] & -CHUNK;
      long ce = cs + CHUNK;
      int j = i + 1;
      while (j < m && buf[j] < ce) {
        j++;
      }
      if (j - i > DENSE && cs >= ls && ce <= k1) {
        if (cs > ls) {
          emitRuns(out, ls, cs, lst, buf, f, i);
        }
        int st = lst ^ ((i - f) & 1);
        long[] bits = new long[CHUNK_WORDS];
        long q = cs;
        for (int t = i; t < j; t++) {
          if (st == 1) {
            fill(bits, q - cs, buf[t] - cs, 1);
          }
          q = buf[t];
          st ^= 1;
        }
        if (st == 1) {
          fill(bits, q - cs, CHUNK, 1);
        }
        int internal = (j - i) - (buf[i] == cs ? 1 : 0);
        out.add(cs, bits, BITMAP_BIT | internal);
        ls = ce;
        lst = st;
        if (j < m && buf[j] == ce) {
          lst ^= 1;
          j++;
        }
        f = j;
      }
      i = j;
    }
    if (k1 > ls) {
      emitRuns(out, ls, k1, lst, buf, f, m);
    }
  }

  /** Emits run leaves for {@code [ls, le)} with flips {@code buf[f, t)}, split evenly into at most MAX_RUN each. */
  private static void emitRuns(Leaves out, long ls, long le, int st, long[] buf, int f, int t) {
    int k = t - f;
    while (k > MAX_RUN) {
      int pieces = (k + MAX_RUN - 1) / MAX_RUN;
      int take = k / pieces;
      emitRun(out, ls, st, buf, f, f + take);
      st ^= (take & 1) ^ 1;
      ls = buf[f + take];
      f += take + 1;
      k = t - f;
    }
    emitRun(out, ls, st, buf, f, t);
  }

  private static void emitRun(Leaves out, long key, int st, long[] buf, int f, int t) {
    int count = t - f;
    if (count == 0) {
      out.add(key, new long[0], runMeta(0, 1, st));
      return;
    }
    int w = 64 - Long.numberOfLeadingZeros(buf[t - 1] - key);
    long[] d = new long[(int) (((long) count * w + 63) >>> 6)];
    for (int j = 0; j < count; j++) {
      putField(d, w, j, buf[f + j] - key);
    }
    out.add(key, d, runMeta(count, w, st));
  }

  /** Replaces leaves {@code a..b} of the index with {@code out}. */
  private void replace(int a, int b, Leaves out) {
    int removed = b - a + 1;
    int newCount = leafCount - removed + out.n;
    if (newCount > keys.length) {
      int cap = Math.max(newCount, keys.length + (keys.length >> 1) + 1);
      keys = java.util.Arrays.copyOf(keys, cap);
      data = java.util.Arrays.copyOf(data, cap);
      meta = java.util.Arrays.copyOf(meta, cap);
    }
    int tail = leafCount - (b + 1);
    if (out.n != removed) {
      System.arraycopy(keys, b + 1, keys, a + out.n, tail);
      System.arraycopy(data, b + 1, data, a + out.n, tail);
      System.arraycopy(meta, b + 1, meta, a + out.n, tail);
    }
    System.arraycopy(out.keys, 0, keys, a, out.n);
    System.arraycopy(out.data, 0, data, a, out.n);
    System.arraycopy(out.meta, 0, meta, a, out.n);
    for (int i = newCount; i < leafCount; i++) {
      data[i] = null;
    }
    leafCount = newCount;
    lastBlock = -1;
    reslot(a, removed, out.n);
    if (keys.length > 8 && leafCount < keys.length >> 2) {
      int cap = leafCount * 2;
      keys = java.util.Arrays.copyOf(keys, cap);
      data = java.util.Arrays.copyOf(data, cap);
      meta = java.util.Arrays.copyOf(meta, cap);
    }
  }

  /** New leaves produced by one re-encoding, before they are spliced into the index. */
  private static final class Leaves {
    long[] keys = new long[4];
    long[][] data = new long[4][];
    int[] meta = new int[4];
    int n;

    void add(long key, long[] words, int descriptor) {
      if (n == keys.length) {
        keys = java.util.Arrays.copyOf(keys, n * 2);
        data = java.util.Arrays.copyOf(data, n * 2);
        meta = java.util.Arrays.copyOf(meta, n * 2);
      }
      keys[n] = key;
      data[n] = words;
      meta[n] = descriptor;
      n++;
    }
  }

  @Override
  public long memoryBytes() {
    // Object: 12-byte header + long blocks + long ones + long lastBlock + int leafCount + int hint + int lastRank
    // + int slotShift + four compressed references = 68, padded to 72.
    // Arrays: 16-byte header, contents padded to 8 bytes.
    long bytes = 72 + 16 + 8L * keys.length + align(16 + 4L * data.length) + align(16 + 4L * meta.length)
        + align(16 + 4L * slots.length);
    for (int i = 0; i < leafCount; i++) {
      bytes += 16 + 8L * data[i].length;
    }
    return bytes;
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** Number of leaves, for tests and reports. */
  int leafCount() {
    return leafCount;
  }

  /** Number of bitmap leaves, for tests and reports. */
  int bitmapLeafCount() {
    int n = 0;
    for (int i = 0; i < leafCount; i++) {
      n += isBitmap(i) ? 1 : 0;
    }
    return n;
  }

  @Override
  public StateStore copy() {
    return new IntervalTreeStateStore(this);
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Cursor

  private final class Cursor implements RunCursor {
    private final long to;
    private long pos;
    private long start;
    private long end;
    private int state;
    private int cur;
    private int leaf;
    /** Index of the next flip of a run leaf. */
    private int nextFlip;

    Cursor(long from, long to) {
      this.to = to;
      this.pos = from;
      if (from < to) {
        leaf = leafIndex(from);
        if (isBitmap(leaf)) {
          cur = stateIn(leaf, from);
        } else {
          nextFlip = rank(leaf, from);
          cur = startState(leaf) ^ (nextFlip & 1);
        }
      }
    }

    @Override
    public boolean next() {
      if (pos >= to) {
        return false;
      }
      start = pos;
      state = cur;
      end = Math.min(to, changeAfter(pos));
      pos = end;
      cur ^= 1;
      return true;
    }

    private long changeAfter(long p) {
      while (true) {
        long e = leafEnd(leaf);
        if (isBitmap(leaf)) {
          long c = bitmapNextChange(leaf, p, cur);
          if (c < e) {
            return c;
          }
        } else if (nextFlip < flips(leaf)) {
          return boundary(leaf, nextFlip++);
        }
        if (e >= to) {
          return e;
        }
        leaf++;
        nextFlip = 0;
        if (startState(leaf) != cur) {
          return e;
        }
        p = e;
      }
    }

    @Override
    public long start() {
      return start;
    }

    @Override
    public long end() {
      return end;
    }

    @Override
    public int state() {
      return state;
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Validation

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
    return "IntervalTreeStateStore[blocks=" + blocks + ", ones=" + ones + ", leaves=" + leafCount
        + ", bitmapLeaves=" + bitmapLeafCount() + "]";
  }
}
