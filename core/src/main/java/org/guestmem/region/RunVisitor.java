package org.guestmem.region;

/** Receives runs of a replay; a non-zero result stops the replay and is returned by it (QEMU's convention). */
@FunctionalInterface
public interface RunVisitor {

  /**
   * Visits {@code [offset, offset + length)}, in bytes from the start of the region.
   *
   * @param offset start of the run
   * @param length length of the run in bytes
   * @return 0 to go on, anything else to stop
   */
  int visit(long offset, long length);
}
