package org.guestmem.workload;

/**
 * A cursor over a sequence of region operations, read without allocating per operation: {@link #next()} advances,
 * then {@link #kind()}, {@link #offset()} and {@link #length()} describe the current operation. Offsets are bytes
 * from the start of the region.
 *
 * <p>Not thread-safe. Generated streams never fail; a trace stream throws from {@link #next()} when a line is bad
 * (see {@link org.guestmem.trace.TraceReader}).
 */
public interface OpStream extends AutoCloseable {

  /**
   * Advances to the next operation; false at the end.
   *
   * @return whether there is a current operation
   */
  boolean next();

  /** {@return the current operation's kind} */
  OpKind kind();

  /** {@return the current operation's offset in bytes from the start of the region} */
  long offset();

  /** {@return the current operation's length in bytes} */
  long length();

  /**
   * {@return where the current operation came from, for error messages: {@code "op 17"} or
   * {@code "boot.trace:42"}}
   */
  String position();

  /** {@return operations read so far} */
  long count();

  /** Releases what the stream holds (a trace's file). Idempotent. */
  @Override
  default void close() {}
}
