package org.guestmem.region;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Registering and unregistering a region's listeners: a new listener is told every populated run of its section and
 * is not registered if it refuses (what it was told is discarded again); an unregistered one is first told to discard
 * them. Each step takes the region's write lock.
 */
final class ListenerRegistry {
  private final ReentrantReadWriteLock lock;
  private final ListenerSet listeners;
  private final SourceStores stores;
  private final RegionLayout layout;
  private final int shift;

  ListenerRegistry(ReentrantReadWriteLock lock, ListenerSet listeners, SourceStores stores, RegionLayout layout) {
    this.lock = lock;
    this.listeners = listeners;
    this.stores = stores;
    this.layout = layout;
    this.shift = layout.granularityShift();
  }

  /** See {@link AttributeManager#registerListener}. */
  void register(RamDiscardListener listener, long offset, long length) {
    Objects.requireNonNull(listener, "listener must not be null");
    RangeRules.checkAligned("listener section", offset, length, layout);
    ListenerSet.Registration r = new ListenerSet.Registration(listener, offset >>> shift, (offset + length) >>> shift);
    lock.writeLock().lock();
    try {
      listeners.checkNotNotifying();
      stores.checkTrusted();
      if (listeners.indexOf(listener) >= 0) {
        throw new IllegalArgumentException("listener " + listener + " is already registered");
      }
      RunList populated = populatedRuns(r);
      try {
        listeners.replayOrUndo(r, populated, true, "registration");
      } catch (ConversionException refused) {
        if (!refused.isConsistent()) {
          // Undoing the replay failed, so the listener may still map blocks: dropping it would leave mappings that
          // no discard ever reaches, stale as soon as those blocks turn private. It stays registered instead.
          listeners.add(r);
          refused.listenerKept(listener);
        }
        throw refused.surface();
      }
      listeners.add(r);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** See {@link AttributeManager#unregisterListener}. */
  void unregister(RamDiscardListener listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    lock.writeLock().lock();
    try {
      listeners.checkNotNotifying();
      int index = listeners.indexOf(listener);
      if (index < 0) {
        throw new IllegalArgumentException("listener " + listener + " is not registered");
      }
      ListenerSet.Registration r = listeners.get(index);
      RunList populated;
      if (stores.trusted()) {
        populated = populatedRuns(r);
      } else {
        populated = new RunList();
        populated.add(r.from(), r.to());
      }
      try {
        listeners.replayOrUndo(r, populated, false, "unregistration");
      } catch (ConversionException refused) {
        throw refused.surface();
      }
      listeners.remove(index);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The populated runs of {@code r}'s section; a store failing to read is reported as a refusal that changed
   * nothing.
   */
  private RunList populatedRuns(ListenerSet.Registration r) {
    RunList populated = new RunList();
    try {
      stores.collectPopulated(r.from(), r.to(), null, populated);
    } catch (Throwable t) {
      throw new ConversionException("reading the state stores failed; nothing changed: " + ListenerSet.describe(t),
          r.from() << shift, (r.to() - r.from()) << shift, t).surface();
    }
    return populated;
  }

  boolean isRegistered(RamDiscardListener listener) {
    lock.readLock().lock();
    try {
      return listeners.indexOf(listener) >= 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  int count() {
    lock.readLock().lock();
    try {
      return listeners.size();
    } finally {
      lock.readLock().unlock();
    }
  }
}
