package org.guestmem.spi;

/**
 * A forward cursor over maximal runs of equal state, reused from run to run so that iterating allocates nothing.
 *
 * <pre>{@code
 * RunCursor c = store.runs(from, to);
 * while (c.next()) {
 *   visit(c.start(), c.end(), c.state());
 * }
 * }</pre>
 */
public interface RunCursor {

  /**
   * Advances to the next run; false when there is none (then the accessors are undefined).
   *
   * @return whether there is a current run
   */
  boolean next();

  /** {@return first block of the current run (inclusive)} */
  long start();

  /** {@return end of the current run (exclusive)} */
  long end();

  /** {@return state of every block of the current run} */
  int state();
}
