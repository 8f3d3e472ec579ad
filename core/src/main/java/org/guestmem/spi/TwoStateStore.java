package org.guestmem.spi;

/**
 * A base for {@link StateStore}s that hold exactly two states (0 and 1), as the built-in {@code bitmap} and
 * {@code intervaltree} stores do: it holds the block count, answers {@link #blocks()} and {@link #states()}, checks
 * the arguments of {@link #set} before the subclass's {@link #setChecked} sees them, and offers the
 * {@link StoreArguments} checks bound to this store's size, so that a subclass states each check in one call. Pairs
 * with {@link TwoStateStoreProvider}.
 *
 * <p>Thread-safety is the subclass's; this class only holds an immutable count.
 */
public abstract class TwoStateStore implements StateStore {
  private final long blocks;

  /**
   * A store of {@code blocks} blocks; the provider has checked it (see {@link StoreArguments#checkCreate}).
   *
   * @param blocks the number of blocks, not negative
   */
  protected TwoStateStore(long blocks) {
    this.blocks = blocks;
  }

  @Override
  public final long blocks() {
    return blocks;
  }

  /** Always 2. */
  @Override
  public final int states() {
    return 2;
  }

  /**
   * Checks the arguments, does nothing for an empty range and otherwise calls {@link #setChecked}: the argument
   * rules of a change are the same for every two-state store.
   *
   * @throws IllegalArgumentException if {@code [from, to)} is not a range of this store or {@code state} is not 0
   *     or 1 (nothing changes)
   */
  @Override
  public final void set(long from, long to, int state) {
    checkRange(from, to);
    checkState(state);
    if (from != to) {
      setChecked(from, to, state);
    }
  }

  /**
   * Sets every block of {@code [from, to)} to {@code state}: a non-empty range and a state {@link #set} checked.
   *
   * @param from first block, inclusive
   * @param to end block, exclusive, greater than {@code from}
   * @param state 0 or 1
   */
  protected abstract void setChecked(long from, long to, int state);

  /**
   * Checks that {@code block} is an index of this store.
   *
   * @param block the index to check
   * @throws IllegalArgumentException unless {@code 0 <= block < blocks()}
   */
  protected final void checkIndex(long block) {
    StoreArguments.checkIndex(block, blocks);
  }

  /**
   * Checks that {@code [from, to)} is a range of this store.
   *
   * @param from first block, inclusive
   * @param to end block, exclusive
   * @throws IllegalArgumentException unless {@code 0 <= from <= to <= blocks()}
   */
  protected final void checkRange(long from, long to) {
    StoreArguments.checkRange(from, to, blocks);
  }

  /**
   * Checks that {@code limit} bounds a scan from the valid index {@code block}.
   *
   * @param block where the scan starts
   * @param limit where the scan stops
   * @throws IllegalArgumentException unless {@code block < limit <= blocks()}
   */
  protected final void checkLimit(long block, long limit) {
    StoreArguments.checkLimit(block, limit, blocks);
  }

  /**
   * Checks that {@code state} is 0 or 1.
   *
   * @param state the state to check
   * @throws IllegalArgumentException otherwise
   */
  protected static void checkState(int state) {
    StoreArguments.checkState(state, 2);
  }
}
