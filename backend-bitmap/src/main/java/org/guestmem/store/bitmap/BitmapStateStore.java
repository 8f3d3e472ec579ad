package org.guestmem.store.bitmap;

import java.util.Arrays;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;

/**
 * One bit per block in a {@code long[]}: {@code ceil(blocks / 64)} words and a constant. Range operations work a
 * word at a time (masks at the ends, whole words in between) and scans jump with
 * {@link Long#numberOfTrailingZeros}; nothing loops per block.
 *
 * <p>Bits past {@code blocks} in the last word are always zero, so population counts need no masking. Not
 * thread-safe.
 */
final class BitmapStateStore implements StateStore {
  /** Largest array the JVM reliably allocates. */
  private static final long MAX_WORDS = Integer.MAX_VALUE - 8;

  private final long blocks;
  private final long[] words;
  private long ones;

  BitmapStateStore(long blocks, int initialState) {
    if (blocks < 0) {
      throw new IllegalArgumentException("block count " + blocks + " is negative");
    }
    long wordCount = (blocks + 63) >>> 6;
    if (wordCount > MAX_WORDS) {
      throw new IllegalArgumentException(String.format(
          "block count %d needs %d words, more than a Java array holds (%d); use the intervaltree store",
          blocks, wordCount, MAX_WORDS));
    }
    this.blocks = blocks;
    this.words = new long[(int) wordCount];
    if (initialState == 1 && blocks > 0) {
      set(0, blocks, 1);
    }
  }

  private BitmapStateStore(BitmapStateStore other) {
    this.blocks = other.blocks;
    this.words = other.words.clone();
    this.ones = other.ones;
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
    return (int) (words[(int) (block >>> 6)] >>> block) & 1;
  }

  @Override
  public void set(long from, long to, int state) {
    checkRange(from, to);
    checkState(state);
    if (from == to) {
      return;
    }
    int first = (int) (from >>> 6);
    int last = (int) ((to - 1) >>> 6);
    long firstMask = -1L << from;
    long lastMask = -1L >>> (63 - ((to - 1) & 63));
    if (first == last) {
      apply(first, firstMask & lastMask, state);
      return;
    }
    apply(first, firstMask, state);
    long fill = state == 1 ? -1L : 0L;
    for (int w = first + 1; w < last; w++) {
      long old = words[w];
      ones += (state == 1 ? 64 : 0) - Long.bitCount(old);
      words[w] = fill;
    }
    apply(last, lastMask, state);
  }

  private void apply(int w, long mask, int state) {
    long old = words[w];
    long now = state == 1 ? old | mask : old & ~mask;
    ones += Long.bitCount(now) - Long.bitCount(old);
    words[w] = now;
  }

  @Override
  public boolean isUniform(long from, long to, int state) {
    checkRange(from, to);
    checkState(state);
    if (from == to) {
      return true;
    }
    int first = (int) (from >>> 6);
    int last = (int) ((to - 1) >>> 6);
    long firstMask = -1L << from;
    long lastMask = -1L >>> (63 - ((to - 1) & 63));
    long flip = state == 1 ? -1L : 0L;
    if (first == last) {
      return ((words[first] ^ flip) & firstMask & lastMask) == 0;
    }
    if (((words[first] ^ flip) & firstMask) != 0 || ((words[last] ^ flip) & lastMask) != 0) {
      return false;
    }
    for (int w = first + 1; w < last; w++) {
      if (words[w] != flip) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long nextChange(long block) {
    checkIndex(block);
    return scan(block, blocks);
  }

  @Override
  public long nextChange(long block, long limit) {
    checkIndex(block);
    if (limit <= block || limit > blocks) {
      throw new IllegalArgumentException("limit " + limit + " is not in (" + block + ", " + blocks + "]");
    }
    return scan(block, limit);
  }

  /** The first index in {@code (block, limit)} whose bit differs from {@code block}'s, or {@code limit}. */
  private long scan(long block, long limit) {
    long start = block + 1;
    if (start >= limit) {
      return limit;
    }
    long flip = ((words[(int) (block >>> 6)] >>> block) & 1) == 1 ? -1L : 0L;
    int w = (int) (start >>> 6);
    int lastWord = (int) ((limit - 1) >>> 6);
    long word = (words[w] ^ flip) & (-1L << start);
    while (word == 0) {
      if (++w > lastWord) {
        return limit;
      }
      word = words[w] ^ flip;
    }
    return Math.min(limit, ((long) w << 6) + Long.numberOfTrailingZeros(word));
  }

  @Override
  public RunCursor runs(long from, long to) {
    checkRange(from, to);
    return new RunCursor() {
      private long position = from;
      private long start;
      private long end;
      private int state;

      @Override
      public boolean next() {
        if (position >= to) {
          return false;
        }
        start = position;
        state = (int) (words[(int) (start >>> 6)] >>> start) & 1;
        end = scan(start, to);
        position = end;
        return true;
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
    };
  }

  @Override
  public long count(int state) {
    checkState(state);
    return state == 1 ? ones : blocks - ones;
  }

  @Override
  public long memoryBytes() {
    // Object: 12-byte header + long blocks + long ones + reference = 32. Array: 16-byte header + 8 per word.
    return 32 + 16 + 8L * words.length;
  }

  @Override
  public StateStore copy() {
    return new BitmapStateStore(this);
  }

  private void checkIndex(long block) {
    if (block < 0 || block >= blocks) {
      throw new IllegalArgumentException(
          "block " + block + " is outside [0, " + blocks + ")");
    }
  }

  private void checkRange(long from, long to) {
    if (from < 0 || to > blocks || from > to) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + to + ") is not inside [0, " + blocks + "] or is reversed");
    }
  }

  private static void checkState(int state) {
    if (state != 0 && state != 1) {
      throw new IllegalArgumentException("state " + state + " is not 0 or 1");
    }
  }

  @Override
  public String toString() {
    return "BitmapStateStore[blocks=" + blocks + ", ones=" + ones + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BitmapStateStore other && other.blocks == blocks && Arrays.equals(other.words, words);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(blocks) * 31 + Arrays.hashCode(words);
  }
}
