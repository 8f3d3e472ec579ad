package org.guestmem.store.intervaltree;

import static org.guestmem.store.intervaltree.LeafLayout.CHUNK;

import java.util.Arrays;

/**
 * The leaves that cut the blocks {@code [0, blocks)}, in order: for leaf {@code i}, its first block
 * ({@code keys[i]}, ascending from 0; the leaf ends where the next begins), its words and its descriptor, in three
 * parallel arrays, with a {@link SlotIndex} to find the leaf holding a block. Reads a leaf in either
 * {@link LeafLayout encoding}, changes a bitmap leaf's bits in place, and splices re-encoded leaves in.
 */
final class LeafArray {
  /** Fields a rank walks from its guess before it falls back to a binary search. */
  private static final int WALK = 8;

  private final long blocks;
  private int count;
  /** The leaf the last lookup found: a set is usually preceded by a get or a count on the same leaf. */
  private int hint;
  private long[] keys;
  private long[][] data;
  private int[] meta;
  private final SlotIndex slots;

  /** One run leaf over {@code [0, blocks)}, all in {@code initialState}. */
  LeafArray(long blocks, int initialState) {
    this.blocks = blocks;
    this.count = 1;
    this.keys = new long[1];
    this.data = new long[][] {new long[0]};
    this.meta = new int[] {LeafLayout.runDescriptor(0, 1, initialState)};
    this.slots = new SlotIndex(keys, count, blocks);
  }

  private LeafArray(LeafArray other) {
    this.blocks = other.blocks;
    this.count = other.count;
    this.keys = Arrays.copyOf(other.keys, count);
    this.meta = Arrays.copyOf(other.meta, count);
    this.data = new long[count][];
    for (int i = 0; i < count; i++) {
      data[i] = other.data[i].clone();
    }
    this.slots = other.slots.copy();
  }

  /** A deep copy. */
  LeafArray copy() {
    return new LeafArray(this);
  }

  /** Number of blocks the leaves cover. */
  long blocks() {
    return blocks;
  }

  /** Number of leaves. */
  int count() {
    return count;
  }

  /** First block of leaf {@code i}. */
  long key(int i) {
    return keys[i];
  }

  /** The block after leaf {@code i}. */
  long end(int i) {
    return i + 1 < count ? keys[i + 1] : blocks;
  }

  /** The words of leaf {@code i}, to read or change in place. */
  long[] words(int i) {
    return data[i];
  }

  boolean isBitmap(int i) {
    return LeafLayout.isBitmap(meta[i]);
  }

  /** Flips of leaf {@code i}: of a run leaf all, of a bitmap leaf those after its first block. */
  int flips(int i) {
    return LeafLayout.flips(meta[i]);
  }

  /** Offset width of run leaf {@code i}. */
  int width(int i) {
    return LeafLayout.width(meta[i]);
  }

  int startState(int i) {
    if (isBitmap(i)) {
      return (int) data[i][0] & 1;
    }
    return LeafLayout.runStartState(meta[i]);
  }

  int endState(int i) {
    if (isBitmap(i)) {
      return (int) (data[i][LeafLayout.CHUNK_WORDS - 1] >>> 63);
    }
    return startState(i) ^ (flips(i) & 1);
  }

  /** The leaf holding block {@code p}: the last leaf whose first block is at or before it. */
  int find(long p) {
    int h = hint;
    if (h < count && keys[h] <= p && (h + 1 == count || keys[h + 1] > p)) {
      return h;
    }
    int i = slots.find(keys, count, p);
    hint = i;
    return i;
  }

  /** Flip {@code j} of run leaf {@code i}, as a block. */
  long boundary(int i, int j) {
    return keys[i] + PackedFields.field(data[i], width(i), j);
  }

  /** Number of flips of run leaf {@code i} at or before block {@code p}. */
  int rank(int i, long p) {
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
    int g = (int) Math.min(n - 1, (long) ((double) o / (end(i) - keys[i]) * n));
    if (PackedFields.field(d, w, g) <= o) {
      int limit = Math.min(n, g + 1 + WALK);
      int j = g + 1;
      while (j < limit && PackedFields.field(d, w, j) <= o) {
        j++;
      }
      return j < limit || j == n ? j : PackedFields.search(d, w, j, n, o);
    }
    int limit = Math.max(-1, g - 1 - WALK);
    int j = g - 1;
    while (j > limit && PackedFields.field(d, w, j) > o) {
      j--;
    }
    return j > limit || j < 0 ? j + 1 : PackedFields.search(d, w, 0, j + 1, o);
  }

  /** State of block {@code p} of leaf {@code i}. */
  int stateIn(int i, long p) {
    if (isBitmap(i)) {
      long o = p - keys[i];
      return (int) (data[i][(int) (o >>> 6)] >>> o) & 1;
    }
    return startState(i) ^ (rank(i, p) & 1);
  }

  /** First block after {@code p} in bitmap leaf {@code i} whose bit differs from {@code st}, or the leaf's end. */
  long bitmapNextChange(int i, long p, int st) {
    long base = keys[i];
    long o = p - base + 1;
    if (o >= CHUNK) {
      return base + CHUNK;
    }
    return base + BitRanges.nextDiffering(data[i], o, st);
  }

  /** Number of blocks of {@code [from, to)} in state 1. */
  long onesIn(long from, long to) {
    long total = 0;
    int i = find(from);
    long p = from;
    while (p < to) {
      long e = Math.min(to, end(i));
      if (isBitmap(i)) {
        total += BitRanges.popcount(data[i], p - keys[i], e - keys[i]);
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

  /** Sets blocks {@code [from, to)} of bitmap leaf {@code i} to {@code st}, keeping its flip count. */
  void fillBitmap(int i, long from, long to, int st) {
    long[] d = data[i];
    long lo = from - keys[i];
    long hi = to - keys[i];
    long windowLo = Math.max(1, lo);
    long windowHi = Math.min(CHUNK, hi + 1);
    int before = BitRanges.transitions(d, windowLo, windowHi);
    BitRanges.fill(d, lo, hi, st);
    int after = BitRanges.transitions(d, windowLo, windowHi);
    setFlips(i, flips(i) + after - before);
  }

  /** Records that bitmap leaf {@code i}, changed in place, now holds {@code n} flips. */
  void setFlips(int i, int n) {
    meta[i] = LeafLayout.withFlips(meta[i], n);
  }

  /** Replaces run leaf {@code i}'s words (when they are a new array) and descriptor, its span unchanged. */
  void setRunLeaf(int i, long[] words, int descriptor) {
    if (data[i] != words) {
      data[i] = words; // skipped for a change in place: a reference store costs a GC write barrier
    }
    meta[i] = descriptor;
  }

  /** Replaces leaves {@code a..b} with {@code out}, which covers the same blocks. */
  void replace(int a, int b, Batch out) {
    int removed = b - a + 1;
    int newCount = count - removed + out.n;
    if (newCount > keys.length) {
      resize(Math.max(newCount, keys.length + (keys.length >> 1) + 1));
    }
    int tail = count - (b + 1);
    if (out.n != removed) {
      System.arraycopy(keys, b + 1, keys, a + out.n, tail);
      System.arraycopy(data, b + 1, data, a + out.n, tail);
      System.arraycopy(meta, b + 1, meta, a + out.n, tail);
    }
    System.arraycopy(out.keys, 0, keys, a, out.n);
    System.arraycopy(out.data, 0, data, a, out.n);
    System.arraycopy(out.meta, 0, meta, a, out.n);
    for (int i = newCount; i < count; i++) {
      data[i] = null;
    }
    count = newCount;
    slots.update(keys, count, blocks, a, removed, out.n);
    if (keys.length > 8 && count < keys.length >> 2) {
      resize(count * 2);
    }
  }

  private void resize(int capacity) {
    keys = Arrays.copyOf(keys, capacity);
    data = Arrays.copyOf(data, capacity);
    meta = Arrays.copyOf(meta, capacity);
  }

  /** Number of bitmap leaves. */
  int bitmapCount() {
    int n = 0;
    for (int i = 0; i < count; i++) {
      n += isBitmap(i) ? 1 : 0;
    }
    return n;
  }

  /** Bytes of this array and everything it holds, as JOL counts them. */
  long memoryBytes() {
    // Object: 12-byte header + long blocks + int count + int hint + four compressed references = 44, padded to 48.
    // Arrays: 16-byte header, contents padded to 8 bytes.
    long bytes = 48 + 16 + 8L * keys.length + align(16 + 4L * data.length) + align(16 + 4L * meta.length)
        + slots.memoryBytes();
    for (int i = 0; i < count; i++) {
      bytes += 16 + 8L * data[i].length;
    }
    return bytes;
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** New leaves produced by one re-encoding, in order, before they are spliced into the array. */
  static final class Batch {
    private long[] keys = new long[4];
    private long[][] data = new long[4][];
    private int[] meta = new int[4];
    private int n;

    void add(long key, long[] words, int descriptor) {
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, n * 2);
        data = Arrays.copyOf(data, n * 2);
        meta = Arrays.copyOf(meta, n * 2);
      }
      keys[n] = key;
      data[n] = words;
      meta[n] = descriptor;
      n++;
    }
  }
}
