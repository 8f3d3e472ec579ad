package org.guestmem.region;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.guestmem.spi.StateStore;

/**
 * The read side of a region: queries and replays of its states, each under the region's read lock, walking merged
 * runs, never blocks. Checks its ranges as every entry point does ({@link RangeRules}).
 */
final class RegionReader {
  private final ReentrantReadWriteLock lock;
  private final SourceStores stores;
  private final RegionLayout layout;
  private final int shift;

  RegionReader(ReentrantReadWriteLock lock, SourceStores stores, RegionLayout layout) {
    this.lock = lock;
    this.stores = stores;
    this.layout = layout;
    this.shift = layout.granularityShift();
  }

  /** See {@link AttributeManager#isPopulated}. */
  boolean isPopulated(long offset, long length) {
    RangeRules.checkInside("isPopulated", offset, length, layout);
    long from = offset >>> shift;
    long to = ceilBlock(offset + length);
    lock.readLock().lock();
    try {
      for (StateStore st : stores.all()) {
        if (!st.isUniform(from, to, SourceStores.POPULATED)) {
          return false;
        }
      }
      return true;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** See {@link AttributeManager#replayPopulated} and {@link AttributeManager#replayDiscarded}. */
  int replay(long offset, long length, boolean populated, RunVisitor visitor) {
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

  /** See {@link AttributeManager#replayStates}. */
  int replayStates(long offset, long length, StateVisitor visitor) {
    Objects.requireNonNull(visitor, "visitor must not be null");
    RangeRules.checkInside("replayStates", offset, length, layout);
    long end = offset + length;
    return walkStates(offset >>> shift, ceilBlock(end), (s, e, state) ->
        visitor.visit(Math.max(s, offset), Math.min(e, end) - Math.max(s, offset), state), false);
  }

  /** See {@link AttributeManager#stateAt}. */
  BlockState stateAt(long offset) {
    RangeRules.checkInside("stateAt", offset, 1, layout);
    long block = offset >>> shift;
    lock.readLock().lock();
    try {
      return stores.stateOf(block);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** See {@link AttributeManager#bytesIn}. */
  long bytesIn(BlockState state) {
    long[] total = new long[1];
    replayStates(0, layout.size(), (off, len, st) -> {
      if (st == state) {
        total[0] += len;
      }
      return 0;
    });
    return total[0];
  }

  /** See {@link AttributeManager#storeMemoryBytes}. */
  long storeMemoryBytes() {
    lock.readLock().lock();
    try {
      long total = 0;
      for (StateStore st : stores.all()) {
        total += st.memoryBytes();
      }
      return total;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** See {@link AttributeManager#measureStores}. */
  void measureStores(Consumer<StateStore> measurer) {
    lock.readLock().lock();
    try {
      for (StateStore st : stores.all()) {
        measurer.accept(st);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** See {@link AttributeManager#snapshot}. */
  StateStore snapshot(Source source) {
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

  /**
   * Walks the maximal runs of {@link BlockState} over blocks {@code [from, to)} under the read lock. With
   * {@code binary}, PRIVATE and DISCARDED count as one state (discarded for listeners).
   */
  private int walkStates(long from, long to, SourceStores.ByteRunVisitor visitor, boolean binary) {
    lock.readLock().lock();
    try {
      return stores.walk(from, to, shift, visitor, binary);
    } finally {
      lock.readLock().unlock();
    }
  }

  private long ceilBlock(long byteEnd) {
    // byteEnd <= size, so adding granularity - 1 cannot overflow for any region below 2^63 - granularity.
    return (byteEnd + layout.granularity() - 1) >>> shift;
  }
}
