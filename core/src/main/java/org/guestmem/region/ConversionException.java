package org.guestmem.region;

/**
 * A conversion (or a listener registration) failed because a listener refused. The manager has already undone it:
 * every listener it had notified was compensated and the state is what it was before the call. A compensation that
 * itself failed is attached as a suppressed exception, and then {@link #isConsistent()} is false.
 *
 * <p>One exception to "the state is what it was": when a refused change towards populated could not be undone in
 * some listener (its compensating discard failed too), the blocks that listener may still map are left populated
 * (shared), never returned to private, so that no device keeps a mapping of private memory.
 * {@link #keptPopulatedBytes()} says how much.
 */
public class ConversionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final long length;
  /** Blocks left populated because a compensating discard failed (filled by the manager). */
  final transient RunList keptPopulated = new RunList();
  private long keptBytes;
  private transient RamDiscardListener listenerKept;

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

  /**
   * Bytes left populated (shared) instead of being returned to their previous state, because a listener could not
   * release them; 0 when the rollback was exact.
   */
  public long keptPopulatedBytes() {
    return keptBytes;
  }

  void keptBytes(long bytes) {
    this.keptBytes = bytes;
  }

  /**
   * For a refused registration whose undo failed: the listener the manager kept registered because it may still
   * hold some of the replayed runs (see {@link AttributeManager#registerListener}). Its owner releases it with
   * {@link AttributeManager#unregisterListener} once the cause is gone; a wrapper such as the DMA mapping listener
   * may have released it already, which {@link AttributeManager#isRegistered} tells. Empty otherwise.
   */
  public java.util.Optional<RamDiscardListener> listenerKept() {
    return java.util.Optional.ofNullable(listenerKept);
  }

  void listenerKept(RamDiscardListener listener) {
    this.listenerKept = listener;
  }

  /** True when every compensation succeeded, so listeners and state agree again. */
  public boolean isConsistent() {
    return getSuppressed().length == 0;
  }
}
