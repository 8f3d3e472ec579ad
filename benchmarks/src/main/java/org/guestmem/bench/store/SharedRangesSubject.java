package org.guestmem.bench.store;

import java.util.Iterator;
import java.util.function.ToLongFunction;

/**
 * Base of the baselines that hold only the shared blocks, as ascending, disjoint, non-adjacent ranges of some type
 * {@code R} (a {@code TreeMap} entry, a Guava range): the runs between them are private. It walks those ranges for
 * {@link #iterate}, counting each private gap as a run, so every such baseline iterates the same way.
 */
abstract class SharedRangesSubject<R> implements RunSubject {
  private final long blocks;
  private final ToLongFunction<R> start;
  private final ToLongFunction<R> end;

  /** A subject over {@code blocks} blocks whose ranges begin at {@code start} and end (exclusive) at {@code end}. */
  SharedRangesSubject(long blocks, ToLongFunction<R> start, ToLongFunction<R> end) {
    this.blocks = blocks;
    this.start = start;
    this.end = end;
  }

  @Override
  public final long blocks() {
    return blocks;
  }

  /**
   * The shared ranges in ascending order, from the one holding or following {@code block}; ranges that end at or
   * before {@code block} may come first and are skipped.
   */
  abstract Iterator<R> sharedFrom(long block);

  /** Every shared range in ascending order. */
  abstract Iterator<R> allShared();

  @Override
  public final long iterate(long from, int runs) {
    long sum = 0;
    long p = from;
    Iterator<R> it = sharedFrom(from);
    int n = 0;
    while (n < runs) {
      if (!it.hasNext()) {
        // The private run after the last shared range, then around to block 0.
        if (p < blocks) {
          sum += 1;
          n++;
        }
        p = 0;
        it = allShared();
        continue;
      }
      R r = it.next();
      long s = start.applyAsLong(r);
      long e = end.applyAsLong(r);
      if (e <= p) {
        continue;
      }
      if (s > p) {
        sum += 1;
        n++;
        p = s;
      }
      if (n < runs) {
        sum += 1 + e - p;
        n++;
        p = e;
      }
    }
    return sum;
  }
}
