package org.guestmem.bench.store;

import org.roaringbitmap.RoaringBitmap;

/**
 * Baseline: a {@link RoaringBitmap} of the shared blocks (32-bit values, so at most 2<sup>32</sup> blocks), run
 * containers after {@link #runOptimize()}; runs are found with {@code nextValue} / {@code nextAbsentValue}.
 */
final class RoaringSubject implements RunSubject {
  private final long blocks;
  private final RoaringBitmap shared = new RoaringBitmap();

  RoaringSubject(long blocks) {
    if (blocks > 1L << 32) {
      throw new IllegalArgumentException("RoaringBitmap holds at most 2^32 blocks, not " + blocks);
    }
    this.blocks = blocks;
  }

  void runOptimize() {
    shared.runOptimize();
  }

  @Override
  public long blocks() {
    return blocks;
  }

  @Override
  public void set(long from, long to, int state) {
    if (state == 1) {
      shared.add(from, to);
    } else {
      shared.remove(from, to);
    }
  }

  @Override
  public int get(long block) {
    return shared.contains((int) block) ? 1 : 0;
  }

  @Override
  public long nextChange(long block) {
    long next = block + 1;
    if (next >= blocks) {
      return blocks;
    }
    long c = shared.contains((int) block) ? shared.nextAbsentValue((int) next) : shared.nextValue((int) next);
    return c < 0 || c > blocks ? blocks : c;
  }

  @Override
  public Object retained() {
    return shared;
  }
}
