package org.guestmem.store.intervaltree;

import org.guestmem.spi.RunCursor;

/**
 * The maximal runs of {@code [from, to)} over a {@link LeafArray}, leaf by leaf: a run leaf's next boundary is its
 * next packed flip, a bitmap leaf's is found a word at a time; a leaf that starts in the current state continues
 * the run. Allocates nothing per run. Valid until the leaves change.
 */
final class PackedRunCursor implements RunCursor {
  private final LeafArray leaves;
  private final long to;
  private long pos;
  private long start;
  private long end;
  private int state;
  private int cur;
  private int leaf;
  /** Index of the next flip of a run leaf. */
  private int nextFlip;

  PackedRunCursor(LeafArray leaves, long from, long to) {
    this.leaves = leaves;
    this.to = to;
    this.pos = from;
    if (from < to) {
      leaf = leaves.find(from);
      if (leaves.isBitmap(leaf)) {
        cur = leaves.stateIn(leaf, from);
      } else {
        nextFlip = leaves.rank(leaf, from);
        cur = leaves.startState(leaf) ^ (nextFlip & 1);
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
    LeafArray l = leaves;
    while (true) {
      long e = l.end(leaf);
      if (l.isBitmap(leaf)) {
        long c = l.bitmapNextChange(leaf, p, cur);
        if (c < e) {
          return c;
        }
      } else if (nextFlip < l.flips(leaf)) {
        return l.boundary(leaf, nextFlip++);
      }
      if (e >= to) {
        return e;
      }
      leaf++;
      nextFlip = 0;
      if (l.startState(leaf) != cur) {
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
