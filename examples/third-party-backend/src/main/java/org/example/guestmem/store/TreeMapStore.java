package org.example.guestmem.store;

import java.util.Map;
import java.util.TreeMap;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StoreArguments;

/**
 * A two-state store kept as the starts of its maximal runs in a {@link TreeMap}: block {@code b} has the state of the
 * greatest run start at or below it. Memory follows the number of runs, never the number of blocks. Not thread-safe
 * (the attribute manager serializes access).
 */
public final class TreeMapStore implements StateStore {
  /**
   * Heap per run start on a 64-bit JVM with compressed references: a TreeMap entry (40 B) and its boxed key (24 B);
   * the states 0 and 1 are cached Integers.
   */
  private static final long BYTES_PER_RUN = 40 + 24;
  /** This object (24 B) and its TreeMap (48 B). */
  private static final long BYTES_FIXED = 24 + 48;

  private final long blocks;
  /** Run start to state; adjacent runs differ, and 0 is a key whenever there is a block. */
  private final TreeMap<Long, Integer> runs;

  /**
   * A store of {@code blocks} blocks, all in {@code initialState}.
   *
   * @param blocks the number of blocks, not negative (checked by the provider)
   * @param initialState 0 or 1 (checked by the provider)
   */
  public TreeMapStore(long blocks, int initialState) {
    this.blocks = blocks;
    this.runs = new TreeMap<>();
    if (blocks > 0) {
      runs.put(0L, initialState);
    }
  }

  private TreeMapStore(TreeMapStore other) {
    this.blocks = other.blocks;
    this.runs = new TreeMap<>(other.runs);
  }

  @Override
  public long blocks() {
    return blocks;
  }

  @Override
  public int states() {
    return 2;
  }

  @Override
  public int get(long block) {
    StoreArguments.checkIndex(block, blocks);
    return runs.floorEntry(block).getValue();
  }

  @Override
  public void set(long from, long to, int state) {
    StoreArguments.checkRange(from, to, blocks);
    StoreArguments.checkState(state, 2);
    if (from == to) {
      return;
    }
    Integer after = to < blocks ? runs.floorEntry(to).getValue() : null;
    runs.subMap(from, true, to, true).clear();
    Map.Entry<Long, Integer> before = runs.lowerEntry(from);
    if (before == null || before.getValue() != state) {
      runs.put(from, state);
    }
    if (after != null && after != state) {
      runs.put(to, after);
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
    StoreArguments.checkState(state, 2);
    long total = 0;
    Map.Entry<Long, Integer> run = runs.firstEntry();
    while (run != null) {
      Map.Entry<Long, Integer> next = runs.higherEntry(run.getKey());
      if (run.getValue() == state) {
        total += (next == null ? blocks : next.getKey()) - run.getKey();
      }
      run = next;
    }
    return total;
  }

  @Override
  public long memoryBytes() {
    return BYTES_FIXED + BYTES_PER_RUN * runs.size();
  }

  @Override
  public StateStore copy() {
    return new TreeMapStore(this);
  }

  @Override
  public String toString() {
    return "treemap[" + blocks + " blocks, " + runs.size() + " runs]";
  }
}
