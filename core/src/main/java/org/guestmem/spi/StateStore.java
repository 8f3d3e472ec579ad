package org.guestmem.spi;

/**
 * An ordered map from block index to a small state, over the blocks {@code [0, blocks())}.
 *
 * <p>States are small non-negative integers below {@link #states()}. Block indices are {@code long}: a store has no
 * 2<sup>32</sup>-block ceiling. Every range is half-open, {@code [from, to)}. A store validates its arguments and
 * throws {@link IllegalArgumentException} naming the value and the rule, changing nothing, when an index is outside
 * {@code [0, blocks()]}, a range is reversed or a state is out of range; {@link StoreArguments} has these checks.
 *
 * <p>Stores are not thread-safe: the attribute manager serializes access to each store it owns.
 */
public interface StateStore {

  /** {@return number of blocks; valid indices are {@code [0, blocks())}} */
  long blocks();

  /** {@return how many distinct states this store can hold (at least 2)} */
  int states();

  /**
   * {@return the state of block {@code block}}
   *
   * @param block an index in {@code [0, blocks())}
   */
  int get(long block);

  /**
   * Sets every block of {@code [from, to)} to {@code state}. An empty range is a no-op.
   *
   * @param from first block, inclusive
   * @param to end block, exclusive
   * @param state a state below {@link #states()}
   */
  void set(long from, long to, int state);

  /**
   * Whether every block of {@code [from, to)} has {@code state}; true for an empty range. The default asks
   * {@link #get} and {@link #nextChange(long, long)}.
   *
   * @param from first block, inclusive
   * @param to end block, exclusive
   * @param state a state below {@link #states()}
   * @return whether no block of the range holds another state
   */
  default boolean isUniform(long from, long to, int state) {
    StoreArguments.checkRange(from, to, blocks());
    StoreArguments.checkState(state, states());
    return from == to || (get(from) == state && nextChange(from, to) == to);
  }

  /**
   * The first index after {@code block} whose state differs from {@code get(block)}, or {@link #blocks()} if the
   * run that contains {@code block} reaches the end.
   *
   * @param block an index in {@code [0, blocks())}
   * @return the end of {@code block}'s run, exclusive
   */
  long nextChange(long block);

  /**
   * As {@link #nextChange(long)}, but looks no further than {@code limit}: the first index in
   * {@code (block, limit)} whose state differs from {@code get(block)}, or {@code limit} if there is none. Callers
   * that only care about a window use this so that a long uniform run costs nothing past the window.
   *
   * @param block an index in {@code [0, blocks())}
   * @param limit where to stop looking, in {@code (block, blocks()]}
   * @return the end of {@code block}'s run, at most {@code limit}
   * @throws IllegalArgumentException if {@code block} is not a valid index or {@code limit} is not in
   *     {@code (block, blocks()]}
   */
  default long nextChange(long block, long limit) {
    StoreArguments.checkLimit(block, limit, blocks());
    return Math.min(limit, nextChange(block));
  }

  /**
   * A cursor over the maximal runs of equal state that intersect {@code [from, to)}, clipped to it, in ascending
   * order. The cursor does not allocate per run. Changing the store while a cursor is open invalidates the cursor.
   * The default finds each run with one {@link #get} and one {@link #nextChange(long, long)}.
   *
   * @param from first block, inclusive
   * @param to end block, exclusive
   * @return a cursor before the first run
   */
  default RunCursor runs(long from, long to) {
    StoreArguments.checkRange(from, to, blocks());
    return new AbstractRunCursor() {
      private long position = from;

      @Override
      public boolean next() {
        if (position >= to) {
          return false;
        }
        long start = position;
        position = nextChange(start, to);
        return found(start, position, get(start));
      }
    };
  }

  /**
   * {@return number of blocks holding {@code state}}
   *
   * @param state a state below {@link #states()}
   */
  long count(int state);

  /** {@return bytes this store retains on the heap, including its own header (checked against JOL in the tests)} */
  long memoryBytes();

  /** {@return an independent deep copy: changing either afterwards does not affect the other} */
  StateStore copy();
}
