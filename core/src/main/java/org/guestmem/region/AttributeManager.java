package org.guestmem.region;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.guestmem.jfr.ConversionEvent;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

/**
 * The attribute manager of one guest RAM region: QEMU's {@code RamDiscardManager} with its
 * {@code RamBlockAttributes} and virtio-mem sources, made stricter.
 *
 * <p>Each {@link Source} is a binary attribute kept in its own {@link StateStore}. A block is <em>populated</em> for
 * listeners when every source says so (shared and plugged). Changes are computed as maximal runs by merging the
 * sources' runs, never block by block, and are notified in two phases with exact rollback:
 *
 * <ol>
 *   <li>Every entry point validates first and changes nothing on bad input ({@link IllegalArgumentException}
 *       naming the value and the rule).
 *   <li>A range already in the target state succeeds with no notification; otherwise only the maximal runs whose
 *       populated state changes are notified.
 *   <li>Towards populated, the state is committed and then each listener whose section intersects is told
 *       {@code populate}, clipped to its section; towards discarded, listeners are told {@code discard} first and
 *       the state is committed after. If any listener refuses, every call made so far (the refused one included)
 *       is compensated with the opposite call, the state is restored exactly, and a {@link ConversionException} is
 *       thrown. State and listeners never disagree.
 *   <li>{@link #registerListener} replays the populated runs of the section and undoes them if the listener
 *       refuses; {@link #unregisterListener} discards them.
 *   <li>Replays visit maximal runs and stop at the first non-zero result; {@link #isPopulated} is exact for any
 *       range, also one smaller than a block.
 *   <li>Notifications are granularity multiples inside the listener's registered section.
 *   <li>Thread-safe: conversions are linearizable (one lock per region, optionally with flat combining); each
 *       successful conversion carries its {@linkplain ConversionResult#sequence() commit sequence}, a witness of
 *       the linear order. Reads see a committed state, or the state a conversion in progress has committed before
 *       notifying. Listeners must not call back into mutating methods of the same region
 *       ({@link IllegalStateException}).
 * </ol>
 */
public final class AttributeManager {
  private static final int DISCARDED = 0;
  private static final int POPULATED = 1;

  private final RegionLayout layout;
  private final int shift;
  private final EnumMap<Source, StateStore> stores;
  private final StateStore[] storeArray;
  private final String storeName;
  private final List<Registration> listeners = new ArrayList<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Queued conversions when combining; null when every call takes the lock itself. */
  private final MpscUnboundedArrayQueue<Request> pending;
  private boolean notifying;
  /** Commit order of successful conversions, a linearization witness (guarded by the write lock). */
  private long nextSequence;

  private static final int MAX_BATCH = 1024;

  // Scratch lists reused by every conversion (conversions hold the write lock and cannot nest), so that the hot
  // path allocates no run arrays.
  private final RunList scratchRanges = new RunList();
  private final RunList scratchChanged = new RunList();
  private final RunList scratchDelta = new RunList();

  private record Registration(RamDiscardListener listener, long from, long to) {}

  private AttributeManager(RegionLayout layout, EnumMap<Source, StateStore> stores, String storeName,
      boolean combining) {
    this.layout = layout;
    this.pending = combining ? new MpscUnboundedArrayQueue<>(256) : null;
    this.shift = layout.granularityShift();
    this.stores = stores;
    this.storeArray = stores.values().toArray(new StateStore[0]);
    this.storeName = storeName;
  }

  /** A builder for a region's manager. */
  public static Builder builder() {
    return new Builder();
  }

  /** The region this manager tracks. */
  public RegionLayout layout() {
    return layout;
  }

  /** The block size. */
  public long granularity() {
    return layout.granularity();
  }

  /** The name of the state-store provider behind every source. */
  public String storeName() {
    return storeName;
  }

  /** Whether this region has {@code source}. */
  public boolean hasSource(Source source) {
    return stores.containsKey(source);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Conversions

  /**
   * Converts {@code [offset, offset + length)} to shared ({@code shared == true}) or private.
   *
   * @throws IllegalArgumentException if the range is misaligned, empty, overflowing or outside the region
   * @throws ConversionException if a listener refused; the conversion was undone
   */
  public ConversionResult convert(long offset, long length, boolean shared) {
    return change(Source.GUEST_MEMFD, offset, length, shared);
  }

  /** Converts {@code [offset, offset + length)} to shared. See {@link #convert}. */
  public ConversionResult share(long offset, long length) {
    return convert(offset, length, true);
  }

  /** Converts {@code [offset, offset + length)} to private. See {@link #convert}. */
  public ConversionResult makePrivate(long offset, long length) {
    return convert(offset, length, false);
  }

  /**
   * Plugs {@code [offset, offset + length)} (the region must have a {@link Source#PLUG} source).
   *
   * @throws IllegalStateException if the region has no plug source
   */
  public ConversionResult plug(long offset, long length) {
    return change(Source.PLUG, offset, length, true);
  }

  /** Unplugs {@code [offset, offset + length)}. See {@link #plug}. */
  public ConversionResult unplug(long offset, long length) {
    return change(Source.PLUG, offset, length, false);
  }

  /**
   * Sets {@code source} to its populated value ({@code populated == true}) or its discarded value over the range,
   * notifying listeners of every block whose aggregate populated state changes.
   *
   * <p>With {@linkplain Builder#combining(boolean) combining} on, concurrent calls are queued and applied by
   * whichever caller holds the region's lock: consecutive queued calls with the same source and direction become
   * one conversion, so that adjacent 4 KiB conversions from different vCPU threads cost one notification per
   * maximal run. Listeners may then be called on another caller's thread. If a combined conversion is refused, it
   * is undone and each call is retried alone, so only the calls a listener really refuses fail.
   */
  public ConversionResult change(Source source, long offset, long length, boolean populated) {
    Objects.requireNonNull(source, "source must not be null");
    RangeRules.checkAligned("conversion", offset, length, layout);
    StateStore store = stores.get(source);
    if (store == null) {
      throw new IllegalStateException("this region has no " + source + " source; add it with the builder");
    }
    if (lock.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException(
          "a listener may not change the region or its listeners from inside a notification");
    }
    Request request = new Request(source, offset >>> shift, (offset + length) >>> shift, populated);
    if (pending == null) {
      lock.writeLock().lock();
      try {
        return applyAlone(request);
      } finally {
        lock.writeLock().unlock();
      }
    }
    return combine(request);
  }

  /** One queued conversion, in blocks. Completed by whichever thread applies it. */
  private static final class Request {
    final Source source;
    final long from;
    final long to;
    final boolean populated;
    ConversionResult result;
    RuntimeException failure;
    volatile boolean done;

    Request(Source source, long from, long to, boolean populated) {
      this.source = source;
      this.from = from;
      this.to = to;
      this.populated = populated;
    }
  }

  private ConversionResult combine(Request request) {
    // Uncontended: apply at once, as the plain lock would, and serve whoever queued meanwhile.
    if (pending.isEmpty() && lock.writeLock().tryLock()) {
      try {
        ConversionResult result = applyAlone(request);
        if (!pending.isEmpty()) {
          drainPending();
        }
        return result;
      } finally {
        lock.writeLock().unlock();
      }
    }
    pending.offer(request);
    int spins = 0;
    while (!request.done) {
      if (lock.writeLock().tryLock()) {
        try {
          drainPending();
        } finally {
          lock.writeLock().unlock();
        }
      } else if (++spins < 64) {
        Thread.onSpinWait();
      } else if (spins < 256) {
        // More threads than cores is the normal case for vCPU threads: let the combiner run.
        Thread.yield();
      } else {
        // Queue for the lock like a plain writer, so that a stream of readers cannot starve us; whoever holds it
        // may complete our request meanwhile, and then we only help with what is left.
        lock.writeLock().lock();
        try {
          drainPending();
        } finally {
          lock.writeLock().unlock();
        }
      }
    }
    if (request.failure != null) {
      throw request.failure;
    }
    return request.result;
  }

  /** Conversions queued for the combiner and not yet taken; for tests that need a known amount of contention. */
  int queuedConversions() {
    return pending == null ? 0 : pending.size();
  }

  /** Applies every queued request, grouping consecutive ones with the same source and direction. */
  private void drainPending() {
    List<Request> batch = new ArrayList<>();
    Request next;
    while (batch.size() < MAX_BATCH && (next = pending.poll()) != null) {
      batch.add(next);
    }
    int i = 0;
    while (i < batch.size()) {
      Request first = batch.get(i);
      int j = i + 1;
      while (j < batch.size() && batch.get(j).source == first.source && batch.get(j).populated == first.populated) {
        j++;
      }
      applyGroup(batch.subList(i, j));
      i = j;
    }
    for (Request r : batch) {
      r.done = true;
    }
  }

  private void applyGroup(List<Request> group) {
    if (group.size() == 1) {
      Request r = group.get(0);
      try {
        r.result = applyAlone(r);
      } catch (RuntimeException e) {
        r.failure = e;
      }
      return;
    }
    Request first = group.get(0);
    StateStore store = stores.get(first.source);
    int target = first.populated ? POPULATED : DISCARDED;
    RunList ranges = unionOf(group);
    long[] changedPerRequest = attribute(group, store, target);
    try {
      Applied applied = applyRanges(first.source, store, ranges, target);
      for (int k = 0; k < group.size(); k++) {
        group.get(k).result = new ConversionResult(changedPerRequest[k], applied.runs, applied.notifications,
            nextSequence++, group.size());
      }
    } catch (ConversionException refused) {
      // The combined change was undone exactly; apply each alone so that only the refused calls fail.
      for (Request r : group) {
        try {
          r.result = applyAlone(r);
        } catch (RuntimeException e) {
          r.failure = e;
        }
      }
    }
  }

  private ConversionResult applyAlone(Request r) {
    RunList ranges = scratchRanges.clear();
    ranges.add(r.from, r.to);
    Applied applied = applyRanges(r.source, stores.get(r.source), ranges, r.populated ? POPULATED : DISCARDED);
    return new ConversionResult(applied.blocksChanged, applied.runs, applied.notifications, nextSequence++, 1);
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

  /** What applying a set of ranges did. */
  private record Applied(long blocksChanged, int runs, long notifications) {}

  /**
   * Sets {@code store} to {@code target} over the disjoint ascending block {@code ranges}, with two-phase
   * notification; on a refusal, restores the store exactly and throws. Called with the write lock held.
   */
  private Applied applyRanges(Source source, StateStore store, RunList ranges, int target) {
    boolean populated = target == POPULATED;
    long offset = ranges.start(0) << shift;
    long length = (ranges.end(ranges.size() - 1) << shift) - offset;
    ConversionEvent event = new ConversionEvent();
    event.begin();
    RunList changed = scratchChanged.clear();
    for (int i = 0; i < ranges.size(); i++) {
      RunCursor cursor = store.runs(ranges.start(i), ranges.end(i));
      while (cursor.next()) {
        if (cursor.state() != target) {
          changed.add(cursor.start(), cursor.end());
        }
      }
    }
    if (changed.size() == 0) {
      commitEvent(event, source, offset, length, populated, "already", 0, 0, false);
      return new Applied(0, 0, 0);
    }
    RunList delta = scratchDelta.clear();
    for (int i = 0; i < changed.size(); i++) {
      collectPopulated(changed.start(i), changed.end(i), store, delta);
    }
    long blocksChanged = changed.totalBlocks();
    String fromName = blocksChanged == ranges.totalBlocks()
        ? (populated ? source.discardedName() : source.populatedName())
        : "mixture";
    long notifications;
    if (populated) {
      setAll(store, ranges, target);
      try {
        notifications = notifyListeners(delta, true, offset, length);
      } catch (ConversionException e) {
        restore(store, changed, target);
        if (e.keptPopulated.size() > 0) {
          keepPopulated(store, e, target);
        }
        commitEvent(event, source, offset, length, true, fromName, blocksChanged, delta.size(), true);
        throw e;
      }
    } else {
      try {
        notifications = notifyListeners(delta, false, offset, length);
      } catch (ConversionException e) {
        commitEvent(event, source, offset, length, false, fromName, blocksChanged, delta.size(), true);
        throw e;
      }
      setAll(store, ranges, target);
    }
    commitEvent(event, source, offset, length, populated, fromName, blocksChanged, delta.size(), false);
    return new Applied(blocksChanged, delta.size(), notifications);
  }

  private static void setAll(StateStore store, RunList ranges, int state) {
    for (int i = 0; i < ranges.size(); i++) {
      store.set(ranges.start(i), ranges.end(i), state);
    }
  }

  private static void restore(StateStore store, RunList changed, int target) {
    int previous = target ^ 1;
    for (int i = 0; i < changed.size(); i++) {
      store.set(changed.start(i), changed.end(i), previous);
    }
  }

  private void commitEvent(ConversionEvent event, Source source, long offset, long length, boolean populated,
      String from, long blocksChanged, int runs, boolean failed) {
    event.end();
    if (event.shouldCommit()) {
      event.offset = offset;
      event.length = length;
      event.from = from;
      event.to = populated ? source.populatedName() : source.discardedName();
      event.blocksChanged = blocksChanged;
      event.runsNotified = runs;
      event.failed = failed;
      event.commit();
    }
  }

  /**
   * Notifies every listener of the runs in {@code delta} that meet its section. On a refusal, compensates every call
   * made (the refused one included) and throws.
   */
  private long notifyListeners(RunList delta, boolean populate, long offset, long length) {
    if (delta.size() == 0 || listeners.isEmpty()) {
      return 0;
    }
    long calls = 0;
    notifying = true;
    try {
      for (int li = 0; li < listeners.size(); li++) {
        Registration r = listeners.get(li);
        for (int j = delta.firstEndingAfter(r.from); j < delta.size() && delta.start(j) < r.to; j++) {
          long s = Math.max(delta.start(j), r.from);
          long e = Math.min(delta.end(j), r.to);
          try {
            call(r.listener, populate, s, e);
            calls++;
          } catch (RuntimeException refusal) {
            ConversionException failure = new ConversionException(String.format(
                "%s of [0x%x, 0x%x) refused by %s; the change of [0x%x, 0x%x) was undone: %s",
                populate ? "populate" : "discard", s << shift, e << shift, r.listener, offset, offset + length,
                refusal.getMessage()), offset, length, refusal);
            for (int lk = 0; lk <= li; lk++) {
              Registration done = listeners.get(lk);
              int last = lk < li ? Integer.MAX_VALUE : j;
              compensate(done, delta, populate, last, failure);
            }
            throw failure;
          }
        }
      }
    } finally {
      notifying = false;
    }
    return calls;
  }

  /** Sends the opposite of {@code populate} for the runs of {@code delta} up to index {@code last} in the section. */
  private void compensate(Registration r, RunList delta, boolean populate, int last, ConversionException failure) {
    for (int j = delta.firstEndingAfter(r.from); j < delta.size() && j <= last && delta.start(j) < r.to; j++) {
      long s = Math.max(delta.start(j), r.from);
      long e = Math.min(delta.end(j), r.to);
      try {
        call(r.listener, !populate, s, e);
      } catch (RuntimeException second) {
        failure.addSuppressed(second);
        if (populate) {
          // A listener may still map these blocks: they must not turn private again.
          failure.keptPopulated.add(s, e);
        }
      }
    }
  }

  /**
   * After a refused populate whose compensating discard failed too, the blocks that discard could not release stay
   * in the target (populated) state, so that no listener keeps a mapping of private memory: a device reaching
   * shared memory is harmless, one reaching private memory is the security hole. Listeners that did release them
   * are told populate again, best effort, so that they agree with the state.
   */
  private void keepPopulated(StateStore store, ConversionException failure, int target) {
    RunList kept = failure.keptPopulated.normalized();
    for (int i = 0; i < kept.size(); i++) {
      store.set(kept.start(i), kept.end(i), target);
    }
    failure.keptBytes(kept.totalBlocks() << shift);
    notifying = true;
    try {
      for (Registration r : listeners) {
        for (int i = 0; i < kept.size(); i++) {
          long s = Math.max(kept.start(i), r.from);
          long e = Math.min(kept.end(i), r.to);
          if (s < e) {
            try {
              call(r.listener, true, s, e);
            } catch (RuntimeException third) {
              failure.addSuppressed(third);
            }
          }
        }
      }
    } finally {
      notifying = false;
    }
  }

  private void call(RamDiscardListener listener, boolean populate, long fromBlock, long toBlock) {
    long off = fromBlock << shift;
    long len = (toBlock - fromBlock) << shift;
    if (populate) {
      listener.populate(off, len);
    } else {
      listener.discard(off, len);
    }
  }

  private void checkNotNotifying() {
    if (notifying) {
      throw new IllegalStateException(
          "a listener may not change the region or its listeners from inside a notification");
    }
  }

  /**
   * Appends to {@code out} the maximal runs of {@code [from, to)} where every source except {@code exclude} is
   * populated, by jumping from change to change in each store.
   */
  private void collectPopulated(long from, long to, StateStore exclude, RunList out) {
    long p = from;
    outer:
    while (p < to) {
      long end = to;
      for (StateStore st : storeArray) {
        if (st == exclude) {
          continue;
        }
        if (st.get(p) != POPULATED) {
          p = st.nextChange(p, to);
          continue outer;
        }
        end = st.nextChange(p, end);
      }
      out.add(p, end);
      p = end;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Listeners

  /**
   * Registers {@code listener} for the section {@code [offset, offset + length)} and replays its populated runs to
   * it. If the listener refuses, whatever it was told is discarded again, it is not registered, and a
   * {@link ConversionException} is thrown. If one of those discards fails too
   * ({@link ConversionException#isConsistent()} false), the listener may still hold some of the runs, so it stays
   * registered, to be told when they are discarded, and {@link ConversionException#listenerKept()} names it; its
   * owner releases it with {@link #unregisterListener}.
   *
   * @throws IllegalArgumentException if the section is misaligned or outside the region, or the listener is
   *     already registered
   */
  public void registerListener(RamDiscardListener listener, long offset, long length) {
    Objects.requireNonNull(listener, "listener must not be null");
    RangeRules.checkAligned("listener section", offset, length, layout);
    Registration r = new Registration(listener, offset >>> shift, (offset + length) >>> shift);
    lock.writeLock().lock();
    try {
      checkNotNotifying();
      if (indexOf(listener) >= 0) {
        throw new IllegalArgumentException("listener " + listener + " is already registered");
      }
      RunList populated = new RunList();
      collectPopulated(r.from, r.to, null, populated);
      try {
        replayOrUndo(r, populated, true, "registration");
      } catch (ConversionException refused) {
        if (!refused.isConsistent()) {
          // Undoing the replay failed, so the listener may still map blocks: dropping it would leave mappings that
          // no discard ever reaches, stale as soon as those blocks turn private. It stays registered instead.
          listeners.add(r);
          refused.listenerKept(listener);
        }
        throw refused;
      }
      listeners.add(r);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Unregisters {@code listener}, first discarding every populated run of its section. If it refuses a discard,
   * it is re-populated, stays registered, and a {@link ConversionException} is thrown.
   *
   * @throws IllegalArgumentException if the listener is not registered
   */
  public void unregisterListener(RamDiscardListener listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    lock.writeLock().lock();
    try {
      checkNotNotifying();
      int index = indexOf(listener);
      if (index < 0) {
        throw new IllegalArgumentException("listener " + listener + " is not registered");
      }
      Registration r = listeners.get(index);
      RunList populated = new RunList();
      collectPopulated(r.from, r.to, null, populated);
      replayOrUndo(r, populated, false, "unregistration");
      listeners.remove(index);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void replayOrUndo(Registration r, RunList runs, boolean populate, String what) {
    notifying = true;
    try {
      for (int j = 0; j < runs.size(); j++) {
        try {
          call(r.listener, populate, runs.start(j), runs.end(j));
        } catch (RuntimeException refusal) {
          ConversionException failure = new ConversionException(String.format(
              "%s of %s refused %s of [0x%x, 0x%x) and was undone: %s", what, r.listener,
              populate ? "populate" : "discard", runs.start(j) << shift, runs.end(j) << shift,
              refusal.getMessage()), r.from << shift, (r.to - r.from) << shift, refusal);
          compensate(r, runs, populate, j, failure);
          throw failure;
        }
      }
    } finally {
      notifying = false;
    }
  }

  private int indexOf(RamDiscardListener listener) {
    for (int i = 0; i < listeners.size(); i++) {
      if (listeners.get(i).listener == listener) {
        return i;
      }
    }
    return -1;
  }

  /** Whether {@code listener} is registered (for example one a refused registration kept). */
  public boolean isRegistered(RamDiscardListener listener) {
    lock.readLock().lock();
    try {
      return indexOf(listener) >= 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Number of registered listeners. */
  public int listenerCount() {
    lock.readLock().lock();
    try {
      return listeners.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reads

  /**
   * Whether every byte of {@code [offset, offset + length)} is populated. Exact for any range: a range smaller than
   * a block asks about the block that holds it.
   */
  public boolean isPopulated(long offset, long length) {
    RangeRules.checkInside("isPopulated", offset, length, layout);
    long from = offset >>> shift;
    long to = ceilBlock(offset + length);
    lock.readLock().lock();
    try {
      for (StateStore st : storeArray) {
        if (!st.isUniform(from, to, POPULATED)) {
          return false;
        }
      }
      return true;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Visits the maximal populated runs of {@code [offset, offset + length)}, clipped to it, in ascending order, and
   * stops at the first non-zero result, which it returns; 0 if every call returned 0.
   */
  public int replayPopulated(long offset, long length, RunVisitor visitor) {
    return replay(offset, length, true, visitor);
  }

  /** As {@link #replayPopulated} for the maximal runs where any source is discarded. */
  public int replayDiscarded(long offset, long length, RunVisitor visitor) {
    return replay(offset, length, false, visitor);
  }

  private int replay(long offset, long length, boolean populated, RunVisitor visitor) {
    Objects.requireNonNull(visitor, "visitor must not be null");
    RangeRules.checkInside(populated ? "replayPopulated" : "replayDiscarded", offset, length, layout);
    long end = offset + length;
    return walkStates(offset >>> shift, ceilBlock(end), (s, e, state) -> {
      boolean isPopulated = state == BlockState.SHARED;
      if (isPopulated != populated) {
        return 0;
      }
      return visitor.visit(Math.max(s, offset), Math.min(e, end) - Math.max(s, offset));
    }, true);
  }

  /**
   * Visits the maximal runs of each {@link BlockState} in {@code [offset, offset + length)}, clipped to it, and stops
   * at the first non-zero result, which it returns.
   */
  public int replayStates(long offset, long length, StateVisitor visitor) {
    Objects.requireNonNull(visitor, "visitor must not be null");
    RangeRules.checkInside("replayStates", offset, length, layout);
    long end = offset + length;
    return walkStates(offset >>> shift, ceilBlock(end), (s, e, state) ->
        visitor.visit(Math.max(s, offset), Math.min(e, end) - Math.max(s, offset), state), false);
  }

  /** The state of the block that holds byte {@code offset}. */
  public BlockState stateAt(long offset) {
    RangeRules.checkInside("stateAt", offset, 1, layout);
    long block = offset >>> shift;
    lock.readLock().lock();
    try {
      return stateOf(block);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Bytes in {@code state} across the whole region, in O(runs). */
  public long bytesIn(BlockState state) {
    long[] total = new long[1];
    replayStates(0, layout.size(), (off, len, st) -> {
      if (st == state) {
        total[0] += len;
      }
      return 0;
    });
    return total[0];
  }

  /** Bytes the state stores of every source retain. */
  public long storeMemoryBytes() {
    lock.readLock().lock();
    try {
      long total = 0;
      for (StateStore st : storeArray) {
        total += st.memoryBytes();
      }
      return total;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** An independent copy of {@code source}'s store (for audits, tests and migration). */
  public StateStore snapshot(Source source) {
    lock.readLock().lock();
    try {
      StateStore st = stores.get(source);
      if (st == null) {
        throw new IllegalStateException("this region has no " + source + " source");
      }
      return st.copy();
    } finally {
      lock.readLock().unlock();
    }
  }

  private BlockState stateOf(long block) {
    StateStore plug = stores.get(Source.PLUG);
    if (plug != null && plug.get(block) != POPULATED) {
      return BlockState.DISCARDED;
    }
    return stores.get(Source.GUEST_MEMFD).get(block) == POPULATED ? BlockState.SHARED : BlockState.PRIVATE;
  }

  @FunctionalInterface
  private interface ByteRunVisitor {
    int visit(long startByte, long endByte, BlockState state);
  }

  /**
   * Walks the maximal runs of {@link BlockState} over blocks {@code [from, to)} under the read lock, merging the
   * sources' runs. With {@code binary}, PRIVATE and DISCARDED count as one state (discarded for listeners).
   */
  private int walkStates(long from, long to, ByteRunVisitor visitor, boolean binary) {
    StateStore memfd = stores.get(Source.GUEST_MEMFD);
    StateStore plug = stores.get(Source.PLUG);
    lock.readLock().lock();
    try {
      long runStart = from;
      BlockState runState = null;
      long p = from;
      while (p < to) {
        long end = memfd.nextChange(p, to);
        if (plug != null) {
          end = plug.nextChange(p, end);
        }
        BlockState st = stateOf(p);
        if (binary && st == BlockState.DISCARDED) {
          st = BlockState.PRIVATE;
        }
        if (st != runState) {
          if (runState != null) {
            int rc = visitor.visit(runStart << shift, p << shift, runState);
            if (rc != 0) {
              return rc;
            }
          }
          runStart = p;
          runState = st;
        }
        p = end;
      }
      return runState == null ? 0 : visitor.visit(runStart << shift, to << shift, runState);
    } finally {
      lock.readLock().unlock();
    }
  }

  private long ceilBlock(long byteEnd) {
    // byteEnd <= size, so adding granularity - 1 cannot overflow for any region below 2^63 - granularity.
    return (byteEnd + layout.granularity() - 1) >>> shift;
  }

  @Override
  public String toString() {
    return String.format("AttributeManager[size=0x%x, granularity=0x%x, store=%s, sources=%s, listeners=%d]",
        layout.size(), layout.granularity(), storeName, stores.keySet(), listeners.size());
  }

  /** Builds an {@link AttributeManager}. */
  public static final class Builder {
    private RegionLayout layout;
    private StateStoreProvider storeProvider;
    private Map<String, String> storeOptions = Map.of();
    private Boolean plugInitially;
    private boolean combining;

    private Builder() {}

    /** The region (required). */
    public Builder layout(RegionLayout layout) {
      this.layout = Objects.requireNonNull(layout, "layout must not be null");
      return this;
    }

    /** The state-store kind behind every source (required). */
    public Builder store(StateStoreProvider provider) {
      this.storeProvider = Objects.requireNonNull(provider, "store provider must not be null");
      return this;
    }

    /** Options passed to the store provider. */
    public Builder storeOptions(Map<String, String> options) {
      this.storeOptions = Map.copyOf(options);
      return this;
    }

    /**
     * Adds a {@link Source#PLUG} source (a virtio-mem-like device), all plugged or all unplugged at first. Without
     * it every block counts as plugged.
     */
    public Builder plugSource(boolean initiallyPlugged) {
      this.plugInitially = initiallyPlugged;
      return this;
    }

    /**
     * Whether concurrent conversions are combined (flat combining over a lock-free queue) instead of each taking
     * the region's lock in turn. See {@link AttributeManager#change}. Off by default: it pays when listener calls
     * are expensive (DMA map ioctls: measured 1.06 to 1.35x the lock's throughput at 2 to 8 threads on 2 cores),
     * and costs throughput when they are cheap and threads outnumber cores (the README has the figures).
     */
    public Builder combining(boolean combining) {
      this.combining = combining;
      return this;
    }

    /** The manager; every block starts private, as in QEMU. */
    public AttributeManager build() {
      if (layout == null) {
        throw new IllegalStateException("a region layout is required");
      }
      if (storeProvider == null) {
        throw new IllegalStateException("a state-store provider is required");
      }
      EnumMap<Source, StateStore> stores = new EnumMap<>(Source.class);
      stores.put(Source.GUEST_MEMFD, storeProvider.create(layout.blocks(), 2, DISCARDED, storeOptions));
      if (plugInitially != null) {
        stores.put(Source.PLUG,
            storeProvider.create(layout.blocks(), 2, plugInitially ? POPULATED : DISCARDED, storeOptions));
      }
      return new AttributeManager(layout, stores, storeProvider.name(), combining);
    }
  }
}
