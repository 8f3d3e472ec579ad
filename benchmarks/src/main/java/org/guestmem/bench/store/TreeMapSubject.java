package org.guestmem.bench.store;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Baseline: a {@code TreeMap<Long, Long>} from the start of each maximal shared run to its end. */
final class TreeMapSubject extends SharedRangesSubject<Map.Entry<Long, Long>> {
  private final TreeMap<Long, Long> shared = new TreeMap<>();

  TreeMapSubject(long blocks) {
    super(blocks, Map.Entry::getKey, Map.Entry::getValue);
  }

  @Override
  public void set(long from, long to, int state) {
    Map.Entry<Long, Long> left = shared.floorEntry(from);
    if (left != null) {
      long start = left.getKey();
      long end = left.getValue();
      if (state == 1 && end >= from) {
        shared.remove(start);
        from = start;
        to = Math.max(to, end);
      } else if (state == 0 && end > from) {
        if (start < from) {
          shared.put(start, from);
        } else {
          shared.remove(start);
        }
        if (end > to) {
          shared.put(to, end);
          return;
        }
      }
    }
    Iterator<Map.Entry<Long, Long>> it = shared.subMap(from, true, to, state == 1).entrySet().iterator();
    long tail = -1;
    long tailEnd = -1;
    while (it.hasNext()) {
      Map.Entry<Long, Long> e = it.next();
      long end = e.getValue();
      it.remove();
      if (end > to) {
        if (state == 1) {
          to = end;
        } else {
          tail = to;
          tailEnd = end;
        }
      }
    }
    if (state == 1) {
      shared.put(from, to);
    } else if (tail >= 0) {
      shared.put(tail, tailEnd);
    }
  }

  @Override
  public int get(long block) {
    Map.Entry<Long, Long> e = shared.floorEntry(block);
    return e != null && block < e.getValue() ? 1 : 0;
  }

  @Override
  public long nextChange(long block) {
    Map.Entry<Long, Long> e = shared.floorEntry(block);
    if (e != null && block < e.getValue()) {
      return e.getValue();
    }
    Long next = shared.higherKey(block);
    return next == null ? blocks() : next;
  }

  @Override
  Iterator<Map.Entry<Long, Long>> sharedFrom(long block) {
    Long floor = shared.floorKey(block);
    return shared.tailMap(floor == null ? block : floor, true).entrySet().iterator();
  }

  @Override
  Iterator<Map.Entry<Long, Long>> allShared() {
    return shared.entrySet().iterator();
  }

  @Override
  public Object retained() {
    return shared;
  }
}
