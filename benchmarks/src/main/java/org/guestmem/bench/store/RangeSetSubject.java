package org.guestmem.bench.store;

import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import java.util.Iterator;

/** Baseline: a Guava {@link TreeRangeSet} of the shared blocks (it coalesces connected ranges). */
final class RangeSetSubject extends SharedRangesSubject<Range<Long>> {
  private final RangeSet<Long> shared = TreeRangeSet.create();

  RangeSetSubject(long blocks) {
    super(blocks, Range::lowerEndpoint, Range::upperEndpoint);
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
    return after.hasNext() ? after.next().lowerEndpoint() : blocks();
  }

  @Override
  Iterator<Range<Long>> sharedFrom(long block) {
    return shared.subRangeSet(Range.atLeast(block)).asRanges().iterator();
  }

  @Override
  Iterator<Range<Long>> allShared() {
    return shared.asRanges().iterator();
  }

  @Override
  public Object retained() {
    return shared;
  }
}
