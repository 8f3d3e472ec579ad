package org.guestmem.spi;

/**
 * A base for {@link RunCursor}s that holds the current run, so that an implementation only finds runs: its
 * {@link #next()} either returns false or ends with {@code return found(start, end, state)}.
 *
 * <p>Allocates nothing per run. Not thread-safe, like the store it walks.
 */
public abstract class AbstractRunCursor implements RunCursor {
  private long start;
  private long end;
  private int state;

  /** For subclasses. */
  protected AbstractRunCursor() {}

  /**
   * Makes {@code [start, end)} in {@code state} the current run.
   *
   * @param start first block of the run, inclusive
   * @param end end of the run, exclusive
   * @param state the state of every block of the run
   * @return true, for {@code return found(...)} at the end of {@link #next()}
   */
  protected final boolean found(long start, long end, int state) {
    this.start = start;
    this.end = end;
    this.state = state;
    return true;
  }

  @Override
  public final long start() {
    return start;
  }

  @Override
  public final long end() {
    return end;
  }

  @Override
  public final int state() {
    return state;
  }
}
