package org.guestmem.region;

import java.util.EnumMap;
import java.util.Map;
import org.guestmem.region.ConversionException.StoreRecovery;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

/**
 * The state stores of one region's sources, read as one: the populated runs where every source agrees, the
 * three-state view, and the writes that survive a store failing part-way. A store may be third-party code, and even
 * a correct one can run out of memory while it grows; after such a failure this class writes the saved runs back,
 * or builds a fresh store, and if neither works marks the region untrusted, so that it refuses changes instead of
 * running on a state nobody can vouch for. Guarded by the region's lock.
 */
final class SourceStores {
  static final int DISCARDED = 0;
  static final int POPULATED = 1;

  private final EnumMap<Source, StateStore> stores;
  private StateStore[] array;
  private final StateStoreProvider provider;
  private final Map<String, String> options;
  private final long blocks;
  /** Why the region refuses changes, or null while its state is trusted. */
  private volatile Throwable untrusted;

  SourceStores(EnumMap<Source, StateStore> stores, StateStoreProvider provider, Map<String, String> options,
      long blocks) {
    this.stores = stores;
    this.array = stores.values().toArray(new StateStore[0]);
    this.provider = provider;
    this.options = options;
    this.blocks = blocks;
  }

  StateStore get(Source source) {
    return stores.get(source);
  }

  boolean has(Source source) {
    return stores.containsKey(source);
  }

  StateStore[] all() {
    return array;
  }

  Iterable<Source> sources() {
    return stores.keySet();
  }

  /**
   * Appends to {@code out} the maximal runs of {@code [from, to)} where every source except {@code exclude} is
   * populated, by jumping from change to change in each store.
   */
  void collectPopulated(long from, long to, StateStore exclude, RunList out) {
    long p = from;
    outer:
    while (p < to) {
      long end = to;
      for (StateStore st : array) {
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

  /** The three-state view of one block: unplugged is discarded whatever the shared bit says. */
  BlockState stateOf(long block) {
    StateStore plug = stores.get(Source.PLUG);
    if (plug != null && plug.get(block) != POPULATED) {
      return BlockState.DISCARDED;
    }
    return stores.get(Source.GUEST_MEMFD).get(block) == POPULATED ? BlockState.SHARED : BlockState.PRIVATE;
  }

  /** Sets {@code source} to {@code state} over every run of {@code ranges}. */
  void setAll(Source source, RunList ranges, int state) {
    StateStore store = stores.get(source);
    for (int i = 0; i < ranges.size(); i++) {
      store.set(ranges.start(i), ranges.end(i), state);
    }
  }

  /**
   * Brings {@code source}'s store back to what it held before a write of {@code target} over {@code ranges}: the
   * {@code changed} runs held the other state, the rest of the ranges held {@code target} already. Called after the
   * write or a refused notification, whether or not the write itself failed part-way. Records the outcome in
   * {@code failure}; when even a fresh store cannot be built, attaches the causes to it and marks the region
   * untrusted.
   */
  void restore(Source source, RunList ranges, RunList changed, int target, ConversionException failure,
      boolean storeFailed) {
    int previous = target ^ 1;
    StateStore store = stores.get(source);
    Throwable writeBack;
    try {
      for (int i = 0; i < changed.size(); i++) {
        store.set(changed.start(i), changed.end(i), previous);
      }
      String wrong = differences(store, ranges, changed, target);
      if (wrong == null) {
        if (storeFailed) {
          failure.storeRecovery(StoreRecovery.RESTORED);
        }
        return;
      }
      writeBack = new IllegalStateException("the " + source + " store does not read back what was written: " + wrong);
    } catch (Throwable t) {
      writeBack = t;
    }
    try {
      StateStore fresh = rebuilt(store, ranges, changed, target);
      String wrong = differences(fresh, ranges, changed, target);
      if (wrong != null) {
        throw new IllegalStateException("a fresh " + provider.name() + " store does not read back either: " + wrong);
      }
      stores.put(source, fresh);
      array = stores.values().toArray(new StateStore[0]);
      failure.storeRecovery(StoreRecovery.REBUILT);
    } catch (Throwable rebuild) {
      failure.addSuppressed(writeBack);
      failure.addSuppressed(rebuild);
      failure.storeRecovery(StoreRecovery.FAILED);
      untrusted = failure;
    }
  }

  /**
   * A new store with {@code old}'s runs outside {@code ranges} and the saved runs inside them. Reading {@code old}
   * may fail as well; then so does this.
   */
  private StateStore rebuilt(StateStore old, RunList ranges, RunList changed, int target) {
    StateStore fresh = provider.create(blocks, 2, DISCARDED, options);
    RunCursor runs = old.runs(0, blocks);
    while (runs.next()) {
      if (runs.state() == POPULATED) {
        fresh.set(runs.start(), runs.end(), POPULATED);
      }
    }
    for (int i = 0; i < ranges.size(); i++) {
      fresh.set(ranges.start(i), ranges.end(i), target);
    }
    for (int i = 0; i < changed.size(); i++) {
      fresh.set(changed.start(i), changed.end(i), target ^ 1);
    }
    return fresh;
  }

  /**
   * Null when {@code store} holds, over {@code ranges}, the other state on the {@code changed} runs and
   * {@code target} elsewhere; else the first range that differs. O(runs) through {@code isUniform}.
   */
  private static String differences(StateStore store, RunList ranges, RunList changed, int target) {
    int c = 0;
    for (int i = 0; i < ranges.size(); i++) {
      long p = ranges.start(i);
      long end = ranges.end(i);
      while (p < end) {
        boolean inChanged = c < changed.size() && changed.start(c) <= p;
        long stop = inChanged ? changed.end(c) : (c < changed.size() ? Math.min(end, changed.start(c)) : end);
        int expected = inChanged ? target ^ 1 : target;
        if (!store.isUniform(p, stop, expected)) {
          return String.format("blocks [0x%x, 0x%x) should all be %d", p, stop, expected);
        }
        if (inChanged) {
          c++;
        }
        p = stop;
      }
    }
    return null;
  }

  /**
   * Refuses a change once a store could not be brought back.
   *
   * @throws IllegalStateException naming the failure, with it as the cause
   */
  void checkTrusted() {
    Throwable why = untrusted;
    if (why != null) {
      throw new IllegalStateException("this region refuses changes: a state store failed part-way and could not be "
          + "restored, so its state cannot be trusted (" + why.getMessage() + ")", why);
    }
  }

  /** Whether the state is trusted: no store failure was left unrepaired. */
  boolean trusted() {
    return untrusted == null;
  }
}
