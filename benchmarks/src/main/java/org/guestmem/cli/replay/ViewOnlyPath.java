package org.guestmem.cli.replay;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RamDiscardListener;

/**
 * {@code --dma none}: no back-end; a listener that keeps the exact populated view as a set of maximal byte runs, so
 * the notification stream itself is checked against the region (and what the manager and store cost is measured
 * alone).
 */
final class ViewOnlyPath implements DmaPath {
  private final TreeMap<Long, Long> runs = new TreeMap<>(); // start -> end, disjoint, non-adjacent
  private long peak;

  private final RamDiscardListener listener = new RamDiscardListener() {
    @Override
    public void populate(long offset, long length) {
      add(offset, offset + length);
    }

    @Override
    public void discard(long offset, long length) {
      remove(offset, offset + length);
    }

    @Override
    public String toString() {
      return "populated-view listener";
    }
  };

  private void add(long start, long end) {
    remove(start, end); // a compensating populate may cover part of what is held
    Map.Entry<Long, Long> before = runs.floorEntry(start);
    if (before != null && before.getValue() == start) {
      start = before.getKey();
      runs.remove(before.getKey());
    }
    Long afterEnd = runs.remove(end);
    if (afterEnd != null) {
      end = afterEnd;
    }
    runs.put(start, end);
  }

  private void remove(long start, long end) {
    Map.Entry<Long, Long> before = runs.lowerEntry(start);
    if (before != null && before.getValue() > start) {
      runs.put(before.getKey(), start);
      if (before.getValue() > end) {
        runs.put(end, before.getValue());
        return;
      }
    }
    Iterator<Map.Entry<Long, Long>> it = runs.subMap(start, true, end, false).entrySet().iterator();
    long tailEnd = -1;
    while (it.hasNext()) {
      Map.Entry<Long, Long> e = it.next();
      if (e.getValue() > end) {
        tailEnd = e.getValue();
      }
      it.remove();
    }
    if (tailEnd > 0) {
      runs.put(end, tailEnd);
    }
  }

  @Override
  public String description() {
    return "none (listener view only)";
  }

  @Override
  public boolean realKernel() {
    return false;
  }

  @Override
  public void attach(AttributeManager region) {
    region.registerListener(listener, 0, region.layout().size());
  }

  /** The listener itself (tests drive it directly). */
  RamDiscardListener listener() {
    return listener;
  }

  @Override
  public long mapCalls() {
    return 0;
  }

  @Override
  public long unmapCalls() {
    return 0;
  }

  @Override
  public long splitCalls() {
    return 0;
  }

  @Override
  public long entries() {
    return runs.size();
  }

  @Override
  public long peakEntries() {
    return Math.max(peak, runs.size());
  }

  @Override
  public long peakKernelBytes() {
    return 0;
  }

  @Override
  public long kernelBytes() {
    return 0;
  }

  @Override
  public long pinnedBytes() {
    return 0;
  }

  @Override
  public long peakPinnedBytes() {
    return 0;
  }

  @Override
  public void sample() {
    if (runs.size() > peak) {
      peak = runs.size();
    }
  }

  @Override
  public void verify(AttributeManager region) {
    Iterator<Map.Entry<Long, Long>> held = runs.entrySet().iterator();
    long[] count = {0};
    int rc = region.replayPopulated(0, region.layout().size(), (off, len) -> {
      count[0]++;
      if (!held.hasNext()) {
        throw new InvariantViolation(String.format(
            "populated run [0x%x, 0x%x) is missing from the listener's view", off, off + len));
      }
      Map.Entry<Long, Long> e = held.next();
      if (e.getKey() != off || e.getValue() != off + len) {
        throw new InvariantViolation(String.format(
            "populated run [0x%x, 0x%x) but the listener holds [0x%x, 0x%x)", off, off + len, e.getKey(),
            e.getValue()));
      }
      return 0;
    });
    if (rc == 0 && held.hasNext()) {
      Map.Entry<Long, Long> e = held.next();
      throw new InvariantViolation(String.format(
          "the listener holds [0x%x, 0x%x), which is not populated", e.getKey(), e.getValue()));
    }
  }

  /** The view's runs clipped to the range (with a granule either side) against the populated runs there. */
  @Override
  public void verify(AttributeManager region, long offset, long length) {
    long g = region.layout().granularity();
    long from = Math.max(0, offset - g);
    long to = Math.min(region.layout().size(), offset + length + g);
    java.util.List<long[]> held = new java.util.ArrayList<>();
    Map.Entry<Long, Long> before = runs.lowerEntry(from);
    if (before != null && before.getValue() > from) {
      held.add(new long[] {from, Math.min(before.getValue(), to)});
    }
    for (Map.Entry<Long, Long> e : runs.subMap(from, true, to, false).entrySet()) {
      held.add(new long[] {e.getKey(), Math.min(e.getValue(), to)});
    }
    Iterator<long[]> it = held.iterator();
    int rc = region.replayPopulated(from, to - from, (off, len) -> {
      long[] h = it.hasNext() ? it.next() : null;
      if (h == null || h[0] != off || h[1] != off + len) {
        throw new InvariantViolation(String.format("populated run [0x%x, 0x%x) but the listener holds %s", off,
            off + len, h == null ? "nothing there" : String.format("[0x%x, 0x%x)", h[0], h[1])));
      }
      return 0;
    });
    if (rc == 0 && it.hasNext()) {
      long[] h = it.next();
      throw new InvariantViolation(String.format("the listener holds [0x%x, 0x%x), which is not populated", h[0],
          h[1]));
    }
  }

  @Override
  public Object[] bookkeeping() {
    return new Object[] {runs};
  }

  @Override
  public long bookkeepingRecords() {
    return runs.size();
  }

  @Override
  public java.util.List<long[]> held() {
    java.util.List<long[]> out = new java.util.ArrayList<>(runs.size());
    runs.forEach((s, e) -> out.add(new long[] {s, e}));
    return out;
  }

  @Override
  public void close() {
    runs.clear();
  }
}
