package org.guestmem.store.bitmap;

import java.util.Arrays;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.TwoStateStore;

/**
 * One bit per block in a {@code long[]}: {@code ceil(blocks / 64)} words, plus a two-level summary so that scans
 * skip uniform stretches instead of reading every word. Range operations work a word at a time (masks at the ends,
 * whole words in between) and scans jump with {@link Long#numberOfTrailingZeros}; nothing loops per block.
 *
 * <p>The summary: level 1 has one bit per pair of words (128 blocks) saying "all ones" ({@code full}) and one
 * saying "all zeros" ({@code empty}); level 2 has one bit per level-1 word (8,192 blocks) saying that word is all
 * set. Finding the end of a run therefore reads O(1) words at each end plus one level-2 bit per 8,192 blocks
 * (0.5 Mi blocks per level-2 word), so iterating maximal runs costs per run, not per word. It costs 2/128 bits per
 * block (1.6% over one bit per block) and is kept exact by every change: a summary bit is set only when the
 * words below it are uniform, which is all the scans rely on.
 *
 * <p>Bits past {@code blocks} in the last word are always zero, so population counts need no masking. Not
 * thread-safe.
 */
final class BitmapStateStore extends TwoStateStore {
  /** Largest array the JVM reliably allocates. */
  private static final long MAX_WORDS = Integer.MAX_VALUE - 8;

  private final long[] words;
  /** Level 1: bit j set iff words 2j and 2j + 1 are all ones (a missing word 2j + 1 is never all ones). */
  private final long[] full;
  /** Level 1: bit j set iff words 2j and 2j + 1 are all zeros (a missing word counts as zeros). */
  private final long[] empty;
  /** Level 2: bit k set iff {@code full[k]} is all ones. */
  private final long[] full2;
  /** Level 2: bit k set iff {@code empty[k]} is all ones. */
  private final long[] empty2;
  private long ones;

  /** A store of {@code blocks} blocks in {@code initialState}; the provider has checked both. */
  BitmapStateStore(long blocks, int initialState) {
    super(blocks);
    long wordCount = (blocks + 63) >>> 6;
    if (wordCount > MAX_WORDS) {
      throw new IllegalArgumentException(String.format(
          "block count %d needs %d words, more than a Java array holds (%d); use the intervaltree store",
          blocks, wordCount, MAX_WORDS));
    }
    this.words = new long[(int) wordCount];
    int level1 = (int) ((((wordCount + 1) >>> 1) + 63) >>> 6);
    this.full = new long[level1];
    this.empty = new long[level1];
    this.full2 = new long[(level1 + 63) >>> 6];
    this.empty2 = new long[(level1 + 63) >>> 6];
    if (wordCount > 0) {
      summarize(0, words.length - 1);
    }
    if (initialState == 1 && blocks > 0) {
      set(0, blocks, 1);
    }
  }

  private BitmapStateStore(BitmapStateStore other) {
    super(other.blocks());
    this.words = other.words.clone();
    this.full = other.full.clone();
    this.empty = other.empty.clone();
    this.full2 = other.full2.clone();
    this.empty2 = other.empty2.clone();
    this.ones = other.ones;
  }

  /** Recomputes the summary bits above words {@code [first, last]}. */
  private void summarize(int first, int last) {
    int lastPair = last >>> 1;
    for (int p = first >>> 1; p <= lastPair; p++) {
      int w = p << 1;
      long a = words[w];
      boolean hasSecond = w + 1 < words.length;
      long b = hasSecond ? words[w + 1] : 0;
      long bit = 1L << p;
      int k = p >>> 6;
      full[k] = hasSecond && (a & b) == -1L ? full[k] | bit : full[k] & ~bit;
      empty[k] = (a | b) == 0 ? empty[k] | bit : empty[k] & ~bit;
    }
    int lastK = lastPair >>> 6;
    for (int k = first >>> 7; k <= lastK; k++) {
      long bit = 1L << k;
      int k2 = k >>> 6;
      full2[k2] = full[k] == -1L ? full2[k2] | bit : full2[k2] & ~bit;
      empty2[k2] = empty[k] == -1L ? empty2[k2] | bit : empty2[k2] & ~bit;
    }
  }

  /**
   * The first pair of words at or after pair {@code p} whose level-1 bit in {@code level1} is clear (so the pair is
   * not uniformly in the state that summary stands for), or -1 if there is none.
   */
  private static long firstUnsummarizedPair(long[] level1, long[] level2, long p, long maxPair) {
    if (p > maxPair) {
      return -1;
    }
    int k = (int) (p >>> 6);
    if (k >= level1.length) {
      return -1;
    }
    long x = ~level1[k] & (-1L << p);
    while (x == 0) {
      // Skip level-1 words that are all set using level 2.
      long r = k + 1;
      int k2 = (int) (r >>> 6);
      if (k2 >= level2.length) {
        return -1;
      }
      long y = ~level2[k2] & (-1L << r);
      while (y == 0) {
        if (++k2 == level2.length || ((long) k2 << 12) > maxPair) {
          return -1;
        }
        y = ~level2[k2];
      }
      k = (k2 << 6) + Long.numberOfTrailingZeros(y);
      if (k >= level1.length || ((long) k << 6) > maxPair) {
        return -1;
      }
      x = ~level1[k];
    }
    long pair = ((long) k << 6) + Long.numberOfTrailingZeros(x);
    return pair > maxPair ? -1 : pair;
  }

  @Override
  public int get(long block) {
    checkIndex(block);
    return (int) (words[(int) (block >>> 6)] >>> block) & 1;
  }

  @Override
  protected void setChecked(long from, long to, int state) {
    int first = (int) (from >>> 6);
    int last = (int) ((to - 1) >>> 6);
    long firstMask = -1L << from;
    long lastMask = -1L >>> (63 - ((to - 1) & 63));
    if (first == last) {
      apply(first, firstMask & lastMask, state);
    } else {
      apply(first, firstMask, state);
      long fill = state == 1 ? -1L : 0L;
      for (int w = first + 1; w < last; w++) {
        long old = words[w];
        ones += (state == 1 ? 64 : 0) - Long.bitCount(old);
        words[w] = fill;
      }
      apply(last, lastMask, state);
    }
    summarize(first, last);
  }

  private void apply(int w, long mask, int state) {
    long old = words[w];
    long now = state == 1 ? old | mask : old & ~mask;
    ones += Long.bitCount(now) - Long.bitCount(old);
    words[w] = now;
  }

  @Override
  public long nextChange(long block) {
    checkIndex(block);
    return scan(block, blocks());
  }

  @Override
  public long nextChange(long block, long limit) {
    checkIndex(block);
    checkLimit(block, limit);
    return scan(block, limit);
  }

  /** The first index in {@code (block, limit)} whose bit differs from {@code block}'s, or {@code limit}. */
  private long scan(long block, long limit) {
    long start = block + 1;
    if (start >= limit) {
      return limit;
    }
    // The first bit at or after start that differs from the bit at block: look in the words of start's pair,
    // then jump to the first pair the summary does not call uniform in block's state, never past limit.
    boolean one = ((words[(int) (block >>> 6)] >>> block) & 1) == 1;
    long flip = one ? -1L : 0L;
    int w = (int) (start >>> 6);
    int lastWord = (int) ((limit - 1) >>> 6);
    long word = (words[w] ^ flip) & (-1L << start);
    if (word == 0 && (w & 1) == 0 && w + 1 <= lastWord) {
      word = words[++w] ^ flip;
    }
    while (word == 0) {
      long pair = firstUnsummarizedPair(one ? full : empty, one ? full2 : empty2, (w >>> 1) + 1, lastWord >>> 1);
      if (pair < 0) {
        return limit;
      }
      w = (int) (pair << 1);
      word = words[w] ^ flip;
      if (word == 0 && w + 1 <= lastWord) {
        word = words[++w] ^ flip;
      }
      if (word == 0 && w >= lastWord) {
        return limit;
      }
    }
    return Math.min(limit, ((long) w << 6) + Long.numberOfTrailingZeros(word));
  }

  @Override
  public long count(int state) {
    checkState(state);
    return state == 1 ? ones : blocks() - ones;
  }

  @Override
  public long memoryBytes() {
    // Object: 12-byte header + long blocks + long ones + five references = 48. Arrays: 16-byte header + 8 per word.
    return 48 + 16 + 8L * words.length + 2 * (16 + 8L * full.length) + 2 * (16 + 8L * full2.length);
  }

  @Override
  public StateStore copy() {
    return new BitmapStateStore(this);
  }

  @Override
  public String toString() {
    return "BitmapStateStore[blocks=" + blocks() + ", ones=" + ones + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BitmapStateStore other && other.blocks() == blocks() && Arrays.equals(other.words, words);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(blocks()) * 31 + Arrays.hashCode(words);
  }
}
