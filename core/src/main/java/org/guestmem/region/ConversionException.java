package org.guestmem.region;

/**
 * A conversion (or a listener registration) failed because a listener refused. The manager has already undone it:
 * every listener it had notified was compensated and the state is what it was before the call. A compensation that
 * itself failed is attached as a suppressed exception, and then {@link #isConsistent()} is false.
 */
public class ConversionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final long length;

  ConversionException(String message, long offset, long length, Throwable cause) {
    super(message, cause);
    this.offset = offset;
    this.length = length;
  }

  /** Start of the range whose change was refused, in bytes. */
  public long offset() {
    return offset;
  }

  /** Length of the range whose change was refused, in bytes. */
  public long length() {
    return length;
  }

  /** True when every compensation succeeded, so listeners and state agree again. */
  public boolean isConsistent() {
    return getSuppressed().length == 0;
  }
}
