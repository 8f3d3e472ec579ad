package org.guestmem.conformance;

import java.util.Map;
import java.util.TreeMap;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StoreArguments;

/**
 * The reference model the contracts compare stores against: a {@link TreeMap} from the start of each run to its
 * state, written for obviousness rather than speed. It is itself checked against a per-block array in
 * {@code ModelStoreTest}, and it is what the sparse (2<sup>33</sup>-block) cases are compared with, where a
 * per-block array would not fit. It keeps {@link StateStore}'s default {@code isUniform} and {@code runs}, so the
 * contract checks those defaults as well.
 */
public final class ModelStore implements StateStore {
  /** The most states a model holds (an arbitrary cap: the map holds any {@code int}). */
  public static final int MAX_STATES = 256;

  private final long blocks;
  private final int states;
  private final TreeMap<Long, Integer> runs;

  public ModelStore(long blocks, int states, int initialState) {
    StoreArguments.checkCreate("model", blocks, states, MAX_STATES, initialState);
    this.blocks = blocks;
    this.states = states;
    this.runs = new TreeMap<>();
    if (blocks > 0) {
      runs.put(0L, initialState);
    }
  }

  private ModelStore(ModelStore other) {
    this.blocks = other.blocks;
    this.states = other.states;
    this.runs = new TreeMap<>(other.runs);
  }

  @Override
  public long blocks() {
    return blocks;
  }

  @Override
  public int states() {
    return states;
  }

  @Override
  public int get(long block) {
    StoreArguments.checkIndex(block, blocks);
    return runs.floorEntry(block).getValue();
  }

  @Override
  public void set(long from, long to, int state) {
    StoreArguments.checkRange(from, to, blocks);
    StoreArguments.checkState(state, states);
    if (from == to) {
      return;
    }
    int after = to < blocks ? get(to) : -1;
    runs.subMap(from, true, to, true).clear();
    runs.put(from, state);
    if (to < blocks) {
      runs.put(to, after);
    }
    normalize(from);
    if (to < blocks) {
      normalize(to);
    }
  }

  /** Removes the run boundary at {@code at} if the run before it has the same state. */
  private void normalize(long at) {
    Map.Entry<Long, Integer> here = runs.floorEntry(at);
    Map.Entry<Long, Integer> before = runs.lowerEntry(here.getKey());
    if (before != null && before.getValue().equals(here.getValue())) {
      runs.remove(here.getKey());
    }
    Map.Entry<Long, Integer> next = runs.higherEntry(at);
    Map.Entry<Long, Integer> cur = runs.floorEntry(at);
    if (next != null && next.getValue().equals(cur.getValue())) {
      runs.remove(next.getKey());
    }
  }

  @Override
  public long nextChange(long block) {
    StoreArguments.checkIndex(block, blocks);
    Long next = runs.higherKey(block);
    return next == null ? blocks : next;
  }

  @Override
  public long count(int state) {
    StoreArguments.checkState(state, states);
    long total = 0;
    Map.Entry<Long, Integer> e = runs.firstEntry();
    while (e != null) {
      Map.Entry<Long, Integer> next = runs.higherEntry(e.getKey());
      long end = next == null ? blocks : next.getKey();
      if (e.getValue() == state) {
        total += end - e.getKey();
      }
      e = next;
    }
    return total;
  }

  /** Number of maximal runs. */
  public int runCount() {
    return runs.size();
  }

  @Override
  public long memoryBytes() {
    return 64L + 80L * runs.size();
  }

  @Override
  public StateStore copy() {
    return new ModelStore(this);
  }

  @Override
  public String toString() {
    return "ModelStore" + runs;
  }
}
