package org.guestmem.store.intervaltree;

/**
 * The format of one leaf: the size limits that choose between the two encodings, and the 32-bit descriptor kept
 * beside each leaf's words (flip count in bits 0-15, offset width in bits 16-22, start state in bit 23, bitmap kind
 * in bit 24).
 *
 * <p>A <b>run leaf</b>'s words are its flips as offsets from its first block, bit-packed at the descriptor's width;
 * its start state is in the descriptor. A <b>bitmap leaf</b>'s words are one bit per block of one aligned chunk, so
 * its start state is its first bit; its descriptor counts the flips strictly inside the chunk.
 */
final class LeafLayout {
  static final int CHUNK_SHIFT = 11;
  /** Blocks of a bitmap leaf, aligned to a multiple of itself. */
  static final long CHUNK = 1L << CHUNK_SHIFT;
  static final int CHUNK_WORDS = (int) (CHUNK >>> 6);
  /** Most flips a run leaf holds. */
  static final int MAX_RUN = 128;
  /** A re-encoded run leaf with fewer flips first absorbs a run-leaf neighbour. */
  static final int MIN_RUN = 32;
  /**
   * A chunk whose run leaves hold more flips becomes a bitmap leaf: a flip then costs less than 16 bits as a bit
   * than as an offset.
   */
  static final int DENSE = 128;
  /** A bitmap leaf with fewer flips turns back into runs (below DENSE, so that a chunk near it does not flap). */
  static final int SPARSE = 32;

  private static final int COUNT_MASK = 0xFFFF;
  private static final int WIDTH_SHIFT = 16;
  private static final int WIDTH_MASK = 0x7F;
  private static final int STATE_BIT = 1 << 23;
  private static final int BITMAP_BIT = 1 << 24;

  private LeafLayout() {}

  /** The descriptor of a run leaf of {@code count} flips packed {@code width} bits each, from {@code startState}. */
  static int runDescriptor(int count, int width, int startState) {
    return count | width << WIDTH_SHIFT | (startState == 1 ? STATE_BIT : 0);
  }

  /** The descriptor of a bitmap leaf with {@code count} flips inside its chunk. */
  static int bitmapDescriptor(int count) {
    return BITMAP_BIT | count;
  }

  static boolean isBitmap(int descriptor) {
    return (descriptor & BITMAP_BIT) != 0;
  }

  static int flips(int descriptor) {
    return descriptor & COUNT_MASK;
  }

  /** Offset width of a run leaf. */
  static int width(int descriptor) {
    return (descriptor >>> WIDTH_SHIFT) & WIDTH_MASK;
  }

  /** Start state of a run leaf (a bitmap leaf's is its first bit). */
  static int runStartState(int descriptor) {
    return (descriptor & STATE_BIT) != 0 ? 1 : 0;
  }

  /** {@code descriptor} with its flip count replaced by {@code count}. */
  static int withFlips(int descriptor, int count) {
    return (descriptor & ~COUNT_MASK) | count;
  }
}
