package org.guestmem.region;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;
import org.jctools.queues.MpscUnboundedArrayQueue;

/**
 * Flat combining in front of a region's write lock: concurrent conversions are queued (a lock-free MPSC queue) and
 * applied by whichever caller holds the lock, which turns consecutive queued calls with the same source and direction
 * into one change. Adjacent 4 KiB conversions from several vCPU threads then cost one notification per maximal run.
 * A combined change that is refused is undone as a whole and each call is retried alone, so only the calls a
 * listener really refuses fail; if that undo itself failed ({@link ConversionException#isConsistent()} false), every
 * call of the group fails with that exception instead, since a retry could not tell the callers. Whatever a call ends with (a result, an exception, an {@link Error}) reaches the
 * thread that made it.
 */
final class FlatCombiner {
  private static final int MAX_BATCH = 1024;

  /** What the combiner applies requests with: the region, under its write lock. */
  interface Region {
    /** Applies one request on its own. */
    ConversionResult applyAlone(Source source, long from, long to, boolean populated);

    /** Applies the union of a group's ranges as one change, or undoes it and throws. */
    ChangeApplier.Applied applyRanges(Source source, RunList ranges, int target);

    StateStore store(Source source);

    long nextSequence();
  }

  /** One queued conversion, in blocks. Completed by whichever thread applies it. */
  private static final class Request {
    final Source source;
    final long from;
    final long to;
    final boolean populated;
    ConversionResult result;
    /** A RuntimeException or an Error: the region wraps every other throwable in a ConversionException. */
    Throwable failure;
    volatile boolean done;

    Request(Source source, long from, long to, boolean populated) {
      this.source = source;
      this.from = from;
      this.to = to;
      this.populated = populated;
    }
  }

  private final Region region;
  private final Lock lock;
  private final MpscUnboundedArrayQueue<Request> pending = new MpscUnboundedArrayQueue<>(256);

  FlatCombiner(Region region, Lock writeLock) {
    this.region = region;
    this.lock = writeLock;
  }

  /** Applies a conversion, combined with whatever else is queued. */
  ConversionResult apply(Source source, long from, long to, boolean populated) {
    Request request = new Request(source, from, to, populated);
    // Uncontended: apply at once, as the plain lock would, and serve whoever queued meanwhile.
    if (pending.isEmpty() && lock.tryLock()) {
      try {
        ConversionResult result = region.applyAlone(source, from, to, populated);
        if (!pending.isEmpty()) {
          drain();
        }
        return result;
      } catch (ConversionException e) {
        throw e.surface();
      } finally {
        lock.unlock();
      }
    }
    pending.offer(request);
    int spins = 0;
    while (!request.done) {
      if (lock.tryLock()) {
        try {
          drain();
        } finally {
          lock.unlock();
        }
      } else if (++spins < 64) {
        Thread.onSpinWait();
      } else if (spins < 256) {
        // More threads than cores is the normal case for vCPU threads: let the combiner run.
        Thread.yield();
      } else {
        // Queue for the lock like a plain writer, so that a stream of readers cannot starve us; whoever holds it
        // may complete our request meanwhile, and then we only help with what is left.
        lock.lock();
        try {
          drain();
        } finally {
          lock.unlock();
        }
      }
    }
    Throwable failure = request.failure;
    if (failure instanceof ConversionException e) {
      throw e.surface();
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw (RuntimeException) failure;
    }
    return request.result;
  }

  /** Conversions queued and not yet taken; for tests that need a known amount of contention. */
  int queued() {
    return pending.size();
  }

  /**
   * Applies every queued request, grouping consecutive ones with the same source and direction. Every request taken
   * is completed, whatever happens, so that no caller waits forever.
   */
  private void drain() {
    List<Request> batch = new ArrayList<>();
    Request next;
    while (batch.size() < MAX_BATCH && (next = pending.poll()) != null) {
      batch.add(next);
    }
    try {
      int i = 0;
      while (i < batch.size()) {
        Request first = batch.get(i);
        int j = i + 1;
        while (j < batch.size() && batch.get(j).source == first.source
            && batch.get(j).populated == first.populated) {
          j++;
        }
        applyGroup(batch.subList(i, j));
        i = j;
      }
    } finally {
      for (Request r : batch) {
        r.done = true;
      }
    }
  }

  private void applyGroup(List<Request> group) {
    if (group.size() > 1) {
      Request first = group.get(0);
      int target = first.populated ? SourceStores.POPULATED : SourceStores.DISCARDED;
      try {
        long[] changedPerRequest = attribute(group, region.store(first.source), target);
        ChangeApplier.Applied applied = region.applyRanges(first.source, unionOf(group), target);
        for (int k = 0; k < group.size(); k++) {
          group.get(k).result = new ConversionResult(changedPerRequest[k], applied.runs(),
              applied.notifications(), region.nextSequence(), group.size());
        }
        return;
      } catch (Throwable refused) {
        ConversionException conversion = ConversionException.of(refused).orElse(null);
        if (conversion != null && !conversion.isConsistent()) {
          // The undo itself failed, so the region is not as before: retrying alone would report success over
          // listeners that disagree with the state. Every caller whose range was in the group learns of it.
          for (Request r : group) {
            r.failure = refused;
          }
          return;
        }
        // The combined change was undone exactly; apply each alone so that only the refused calls fail.
      }
    }
    for (Request r : group) {
      try {
        r.result = region.applyAlone(r.source, r.from, r.to, r.populated);
      } catch (Throwable t) {
        r.failure = t;
      }
    }
  }

  private static RunList unionOf(List<Request> group) {
    long[][] sorted = new long[group.size()][];
    for (int k = 0; k < sorted.length; k++) {
      sorted[k] = new long[] {group.get(k).from, group.get(k).to};
    }
    Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    RunList union = new RunList();
    long start = sorted[0][0];
    long end = sorted[0][1];
    for (int k = 1; k < sorted.length; k++) {
      if (sorted[k][0] <= end) {
        end = Math.max(end, sorted[k][1]);
      } else {
        union.add(start, end);
        start = sorted[k][0];
        end = sorted[k][1];
      }
    }
    union.add(start, end);
    return union;
  }

  /**
   * The blocks each request of a group changes, as if the group ran one request after the other in queue order:
   * a block two requests share is counted for the first. Computed before the group is committed.
   */
  private static long[] attribute(List<Request> group, StateStore store, int target) {
    long[] changed = new long[group.size()];
    TreeMap<Long, Long> claimed = new TreeMap<>();
    for (int k = 0; k < group.size(); k++) {
      Request r = group.get(k);
      long p = r.from;
      Map.Entry<Long, Long> below = claimed.floorEntry(p);
      if (below != null && below.getValue() > p) {
        p = below.getValue();
      }
      while (p < r.to) {
        Map.Entry<Long, Long> ahead = claimed.ceilingEntry(p);
        long pieceEnd = ahead == null ? r.to : Math.min(r.to, ahead.getKey());
        changed[k] += countNot(store, p, pieceEnd, target);
        if (ahead == null || ahead.getKey() >= r.to) {
          break;
        }
        p = ahead.getValue();
      }
      long start = r.from;
      long end = r.to;
      Map.Entry<Long, Long> left = claimed.floorEntry(start);
      if (left != null && left.getValue() >= start) {
        start = left.getKey();
        end = Math.max(end, left.getValue());
      }
      Map<Long, Long> overlapped = claimed.subMap(start, true, end, true);
      for (long e : overlapped.values()) {
        end = Math.max(end, e);
      }
      overlapped.clear();
      claimed.put(start, end);
    }
    return changed;
  }

  private static long countNot(StateStore store, long from, long to, int state) {
    long n = 0;
    RunCursor c = store.runs(from, to);
    while (c.next()) {
      if (c.state() != state) {
        n += c.end() - c.start();
      }
    }
    return n;
  }
}
