package org.guestmem.region;

/** Receives the maximal runs of one {@link BlockState}; a non-zero result stops the walk and is returned by it. */
@FunctionalInterface
public interface StateVisitor {

  /** Visits {@code [offset, offset + length)}, all in {@code state}. */
  int visit(long offset, long length, BlockState state);
}
