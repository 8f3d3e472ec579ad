package org.guestmem.cli.replay;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RamDiscardListener;
import org.guestmem.region.RunSet;

/**
 * {@code --dma none}: no back-end; a listener that keeps the exact populated view as a set of maximal byte runs, so
 * the notification stream itself is checked against the region (and what the manager and store cost is measured
 * alone).
 */
final class ViewOnlyPath implements DmaPath {
  /** One region's view: its populated runs as reported to its listener. */
  private static final class View {
    final RunSet runs = new RunSet();

    final RamDiscardListener listener = new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        runs.add(offset, offset + length); // a compensating populate may cover part of what is held
      }

      @Override
      public void discard(long offset, long length) {
        runs.remove(offset, offset + length);
      }

      @Override
      public String toString() {
        return "populated-view listener";
      }
    };
  }

  /** The views by region, in attach order; regions are told apart by identity. */
  private final Map<AttributeManager, View> views = new java.util.IdentityHashMap<>();
  private final java.util.List<View> ordered = new java.util.ArrayList<>();
  private long peak;

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
    if (views.containsKey(region)) {
      throw new IllegalStateException("this DMA path is already attached to " + region);
    }
    View view = new View();
    region.registerListener(view.listener, 0, region.layout().size());
    views.put(region, view);
    ordered.add(view);
  }

  /** The first region's listener, or a detached one before any attach (tests drive it directly). */
  RamDiscardListener listener() {
    if (ordered.isEmpty()) {
      ordered.add(new View());
    }
    return ordered.get(0).listener;
  }

  private View viewOf(AttributeManager region) {
    View view = views.get(region);
    if (view == null) {
      throw new IllegalArgumentException("verify was given a region this path is not attached to");
    }
    return view;
  }

  private long runCount() {
    long n = 0;
    for (View v : ordered) {
      n += v.runs.size();
    }
    return n;
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
    return runCount();
  }

  @Override
  public long peakEntries() {
    return Math.max(peak, runCount());
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
    peak = Math.max(peak, runCount());
  }

  @Override
  public void verify(AttributeManager region) {
    Iterator<Map.Entry<Long, Long>> held = viewOf(region).runs.asMap().entrySet().iterator();
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
    NavigableMap<Long, Long> runs = viewOf(region).runs.asMap();
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
    Object[] out = new Object[ordered.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ordered.get(i).runs;
    }
    return out;
  }

  @Override
  public long bookkeepingRecords() {
    return runCount();
  }

  @Override
  public java.util.List<long[]> held() {
    java.util.List<long[]> out = new java.util.ArrayList<>();
    if (!ordered.isEmpty()) {
      ordered.get(0).runs.asMap().forEach((s, e) -> out.add(new long[] {s, e}));
    }
    return out;
  }

  @Override
  public void close() {
    ordered.forEach(v -> v.runs.clear());
  }
}
