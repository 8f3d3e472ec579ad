package org.guestmem.cli.replay;

/**
 * A store x back-end x policy combination that cannot run by design (for example coalescing on VFIO type1, which
 * cannot cut a mapping), as opposed to bad input. {@code compare} shows it in the matrix with this message.
 */
public final class UnsupportedCombination extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnsupportedCombination(String message, Throwable cause) {
    super(message, cause);
  }
}
