package org.guestmem.bench.store;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import java.util.Iterator;

/** Baseline: a Guava {@link TreeRangeSet} of the shared blocks (it coalesces connected ranges). */
final class RangeSetSubject implements RunSubject {
  private final long blocks;
  private final RangeSet<Long> shared = TreeRangeSet.create();

  RangeSetSubject(long blocks) {
    this.blocks = blocks;
  }

  @Override
  public long blocks() {
    return blocks;
  }

  @Override
  public void set(long from, long to, int state) {
    if (state == 1) {
      shared.add(Range.closedOpen(from, to));
    } else {
      shared.remove(Range.closedOpen(from, to));
    }
  }

  @Override
  public int get(long block) {
    return shared.contains(block) ? 1 : 0;
  }

  @Override
  public long nextChange(long block) {
    Range<Long> r = shared.rangeContaining(block);
    if (r != null) {
      return r.upperEndpoint();
    }
    Iterator<Range<Long>> after = shared.subRangeSet(Range.greaterThan(block)).asRanges().iterator();
    return after.hasNext() ? after.next().lowerEndpoint() : blocks;
  }

  @Override
  public long iterate(long from, int runs) {
    long sum = 0;
    long p = from;
    Iterator<Range<Long>> it = shared.subRangeSet(Range.atLeast(from)).asRanges().iterator();
    int n = 0;
    while (n < runs) {
      if (!it.hasNext()) {
        if (p < blocks) {
          sum += 1;
          n++;
        }
        p = 0;
        it = shared.asRanges().iterator();
        continue;
      }
      Range<Long> r = it.next();
      long start = r.lowerEndpoint();
      long end = r.upperEndpoint();
      if (start > p) {
        sum += 1;
        n++;
        p = start;
      }
      if (n < runs) {
        sum += 1 + end - p;
        n++;
        p = end;
      }
    }
    return sum;
  }

  @Override
  public Object retained() {
    return shared;
  }
}
