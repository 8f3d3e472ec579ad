package org.guestmem.region;

/** Receives the maximal runs of one {@link BlockState}; a non-zero result stops the walk and is returned by it. */
@FunctionalInterface
public interface StateVisitor {

  /**
   * Visits {@code [offset, offset + length)}, all in {@code state}.
   *
   * @param offset start of the run in bytes from the start of the region
   * @param length length of the run in bytes
   * @param state the state of every block of the run
   * @return 0 to go on, anything else to stop
   */
  int visit(long offset, long length, BlockState state);
}
