package org.guestmem.region;

import org.guestmem.jfr.ConversionEvent;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;

/**
 * One change of a region, applied in two phases: the runs whose populated state flips (the delta) are computed from
 * the stores' runs; towards populated the store is written and then the listeners told, towards discarded the
 * listeners are told first (unmap before the memory turns private) and the store written after. With a
 * {@link KvmStep}, a change of the shared attribute also converts the guest memory itself: towards private after the
 * listeners dropped their mappings (and pins) and before the store is written, towards shared before the store is
 * written and the listeners map. Whatever fails, a listener, KVM or the store, the change is undone exactly before
 * the failure is thrown. Guarded by the region's write lock.
 */
final class ChangeApplier {
  private static final System.Logger LOG = System.getLogger(ChangeApplier.class.getName());
  private static final int POPULATED = SourceStores.POPULATED;

  /** The region's name, which its events carry. */
  private final String region;
  private final SourceStores stores;
  private final ListenerSet listeners;
  private final int shift;
  /** Null when the region has no memory-attribute back-end. */
  private final KvmStep kvm;
  // Reused by every change (changes hold the write lock and cannot nest), so that the hot path allocates no runs.
  private final RunList scratchChanged = new RunList();
  private final RunList scratchDelta = new RunList();

  ChangeApplier(String region, SourceStores stores, ListenerSet listeners, int shift, KvmStep kvm) {
    this.region = region;
    this.stores = stores;
    this.listeners = listeners;
    this.shift = shift;
    this.kvm = kvm;
  }

  /** The runs the last {@link #apply} changed in the source's store (valid until the next call). */
  RunList lastChanged() {
    return scratchChanged;
  }

  /** What applying a set of ranges did. */
  record Applied(long blocksChanged, int runs, long notifications) {}

  /**
   * Sets {@code source} to {@code target} over the disjoint ascending block {@code ranges}, with two-phase
   * notification. On any failure (a listener refusing, the store failing) it is undone and a
   * {@link ConversionException} thrown, whatever failed; the public entry point surfaces it. Called with the write
   * lock held.
   */
  Applied apply(Source source, RunList ranges, int target) {
    boolean populated = target == POPULATED;
    StateStore store = stores.get(source);
    long offset = ranges.start(0) << shift;
    long length = (ranges.end(ranges.size() - 1) << shift) - offset;
    ConversionEvent event = new ConversionEvent();
    event.begin();
    RunList changed = scratchChanged.clear();
    RunList delta = scratchDelta.clear();
    try {
      for (int i = 0; i < ranges.size(); i++) {
        RunCursor cursor = store.runs(ranges.start(i), ranges.end(i));
        while (cursor.next()) {
          if (cursor.state() != target) {
            changed.add(cursor.start(), cursor.end());
          }
        }
      }
      for (int i = 0; i < changed.size(); i++) {
        stores.collectPopulated(changed.start(i), changed.end(i), store, delta);
      }
    } catch (Throwable t) {
      commitEvent(event, source, offset, length, populated, "unread", 0, 0, true);
      LOG.log(System.Logger.Level.WARNING, "conversion of [0x{0}, 0x{1}) refused, the {2} store could not be read: {3}",
          Long.toHexString(offset), Long.toHexString(offset + length), source, ListenerSet.describe(t));
      throw new ConversionException(String.format("reading the %s store failed before the change of [0x%x, 0x%x); "
          + "nothing changed: %s", source, offset, offset + length, ListenerSet.describe(t)), offset, length, t);
    }
    if (changed.size() == 0) {
      commitEvent(event, source, offset, length, populated, "already", 0, 0, false);
      return new Applied(0, 0, 0);
    }
    long blocksChanged = changed.totalBlocks();
    String fromName = blocksChanged == ranges.totalBlocks()
        ? (populated ? source.discardedName() : source.populatedName())
        : "mixture";
    long notifications;
    KvmStep step = source == Source.GUEST_MEMFD ? kvm : null;
    try {
      if (populated) {
        if (step != null) {
          step.convert(changed, true, offset, length);
        }
        write(source, ranges, changed, target, offset, length, null, step);
        try {
          notifications = listeners.notify(delta, true, offset, length);
        } catch (ConversionException e) {
          stores.restore(source, ranges, changed, target, e, false);
          if (e.keptPopulated.size() > 0) {
            keepPopulated(source, e, target);
          }
          if (step != null) {
            step.revert(stores.get(source), changed, true, e);
          }
          throw e;
        }
      } else {
        notifications = listeners.notify(delta, false, offset, length);
        if (step != null) {
          try {
            step.convert(changed, false, offset, length);
          } catch (ConversionException e) {
            // KVM refused after the listeners let go: they get their mappings back, the store was never written.
            listeners.undoAll(delta, false, e);
            throw e;
          }
        }
        write(source, ranges, changed, target, offset, length, delta, step);
      }
    } catch (ConversionException e) {
      commitEvent(event, source, offset, length, populated, fromName, blocksChanged, delta.size(), true);
      // Refused and undone is the guest's error, not the host's: INFO. Undone only in part (isConsistent() false):
      // a listener may hold what the state does not say, which an operator must see.
      LOG.log(e.isConsistent() ? System.Logger.Level.INFO : System.Logger.Level.ERROR, "{0}: {1}",
          e.isConsistent() ? "conversion refused and undone" : "conversion refused and NOT fully undone "
              + "(isConsistent() false, " + e.getSuppressed().length + " compensations failed)", e.getMessage());
      throw e;
    }
    commitEvent(event, source, offset, length, populated, fromName, blocksChanged, delta.size(), false);
    return new Applied(blocksChanged, delta.size(), notifications);
  }

  /**
   * Writes {@code target} over {@code ranges}. If the store fails, it is brought back to what it held and, when
   * {@code discarded} is given (listeners were already told discard of those runs), the listeners are told populate
   * again, unless the store could not be brought back: then nothing is mapped again, the safe side.
   */
  private void write(Source source, RunList ranges, RunList changed, int target, long offset, long length,
      RunList discarded, KvmStep step) {
    try {
      stores.setAll(source, ranges, target);
    } catch (Throwable t) {
      ConversionException failure = new ConversionException(String.format(
          "the %s store failed while setting [0x%x, 0x%x) to %s; the change was undone: %s", source, offset,
          offset + length, target == POPULATED ? source.populatedName() : source.discardedName(),
          ListenerSet.describe(t)), offset, length, t);
      stores.restore(source, ranges, changed, target, failure, true);
      if (step != null) {
        // KVM follows the store back before any listener maps again.
        step.revert(stores.trusted() ? stores.get(source) : null, changed, target == POPULATED, failure);
      }
      if (discarded != null && stores.trusted()) {
        listeners.undoAll(discarded, false, failure);
      }
      throw failure;
    }
  }

  private void commitEvent(ConversionEvent event, Source source, long offset, long length, boolean populated,
      String from, long blocksChanged, int runs, boolean failed) {
    event.end();
    if (event.shouldCommit()) {
      event.region = region;
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
   * After a refused populate whose compensating discard failed too, the blocks that discard could not release stay
   * in the target (populated) state, so that no listener keeps a mapping of private memory: a device reaching
   * shared memory is harmless, one reaching private memory is the security hole. Listeners that did release them
   * are told populate again, best effort, so that they agree with the state.
   */
  private void keepPopulated(Source source, ConversionException failure, int target) {
    RunList kept = failure.keptPopulated.normalized();
    try {
      stores.setAll(source, kept, target);
    } catch (Throwable t) {
      // Kept runs must read populated; a store that cannot say so cannot be trusted with this region any more.
      RunList none = new RunList();
      stores.restore(source, kept, none, target, failure, true);
    }
    failure.keptBytes(kept.totalBlocks() << shift);
    listeners.undoAll(kept, false, failure);
  }
}
