package org.guestmem.store.intervaltree;

/**
 * A radix index over the ascending first blocks of the leaves ({@code keys[0, count)}, {@code keys[0] == 0}): slot
 * {@code t} holds the leaf holding block {@code t << shift}, so a lookup searches only the leaves between two slots
 * (about one, at one slot per leaf) instead of all of them. The table is a power of two long, at most one slot per
 * block.
 */
final class SlotIndex {
  private int[] table;
  private int shift;

  /** An index over {@code keys[0, count)} for a store of {@code blocks} blocks. */
  SlotIndex(long[] keys, int count, long blocks) {
    build(keys, count, blocks);
  }

  private SlotIndex(SlotIndex other) {
    this.table = other.table.clone();
    this.shift = other.shift;
  }

  /** A deep copy. */
  SlotIndex copy() {
    return new SlotIndex(this);
  }

  /** The last leaf of {@code keys[0, count)} whose first block is at or before {@code p}. */
  int find(long[] keys, int count, long p) {
    // Branch-free search between the two slots around p: the comparisons on random positions are unpredictable.
    int[] s = table;
    int t = (int) (p >>> shift);
    int lo = s[t];
    int len = (t + 1 < s.length ? s[t + 1] : count - 1) - lo + 1;
    while (len > 1) {
      int half = len >>> 1;
      lo = keys[lo + half] <= p ? lo + half : lo;
      len -= half;
    }
    return lo;
  }

  /**
   * Brings the index up to date after leaves {@code a..a+removed-1} became leaves {@code a..a+added-1} of
   * {@code keys[0, count)}: the slots in their span are refilled and the slots after it move by the difference;
   * the table is rebuilt when the leaf count outgrows it or falls to a quarter of it.
   */
  void update(long[] keys, int count, long blocks, int a, int removed, int added) {
    int size = table.length;
    if ((count > size && shift > 0) || (size > 1 && count < size >>> 2)) {
      build(keys, count, blocks);
      return;
    }
    long round = (1L << shift) - 1;
    long k0 = keys[a];
    long k1 = a + added < count ? keys[a + added] : blocks;
    int t0 = (int) Math.min(size, (k0 + round) >>> shift);
    int t1 = (int) Math.min(size, (k1 + round) >>> shift);
    fill(keys, count, t0, t1, a);
    int delta = added - removed;
    if (delta != 0) {
      int[] s = table;
      for (int t = t1; t < size; t++) {
        s[t] += delta;
      }
    }
  }

  /** Bytes of this index, as JOL counts them. */
  long memoryBytes() {
    // Object: 12-byte header + int[] reference + int shift = 20, padded to 24; the array: 16-byte header + ints.
    return 24 + ((16 + 4L * table.length + 7) & ~7L);
  }

  /** Rebuilds the table at about one slot per leaf. */
  private void build(long[] keys, int count, long blocks) {
    int bits = blocks <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(blocks - 1);
    int logSlots = Math.min(bits, 32 - Integer.numberOfLeadingZeros(count - 1));
    shift = bits - logSlots;
    table = new int[1 << logSlots];
    fill(keys, count, 0, table.length, 0);
  }

  /** Sets slots {@code [t0, t1)} walking the leaves from {@code leaf}, which is at or before slot t0's leaf. */
  private void fill(long[] keys, int count, int t0, int t1, int leaf) {
    int l = leaf;
    for (int t = t0; t < t1; t++) {
      long start = (long) t << shift;
      while (l + 1 < count && keys[l + 1] <= start) {
        l++;
      }
      table[t] = l;
    }
  }
}
