package org.guestmem.cli.replay;

/**
 * The DMA mappings (or the listener's view) and the region's populated runs disagree: a stale mapping, or a
 * populated range the device cannot reach. Always a bug in the manager, the listener or the back-end.
 */
public final class InvariantViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvariantViolation(String message) {
    super(message);
  }
}
