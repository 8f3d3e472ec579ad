package org.guestmem.region;

/** Receives runs of a replay; a non-zero result stops the replay and is returned by it (QEMU's convention). */
@FunctionalInterface
public interface RunVisitor {

  /** Visits {@code [offset, offset + length)}, in bytes from the start of the region. */
  int visit(long offset, long length);
}
