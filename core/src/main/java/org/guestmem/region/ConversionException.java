package org.guestmem.region;

import java.util.Optional;

/**
 * A conversion (or a listener registration) failed because a listener refused or a state store failed. The manager
 * has already undone it: every listener it had notified was compensated and the state is what it was before the
 * call. A compensation that itself failed is attached as a suppressed exception, and then {@link #isConsistent()} is
 * false.
 *
 * <p>What refused is the {@linkplain #getCause() cause}, whatever it was: a {@link RuntimeException}, an
 * {@link Error}, or a checked exception a listener threw without declaring it (Kotlin, Scala, a sneaky throw). A
 * caller receives this exception for every kind except an {@link Error}, which the manager rethrows as it is, after
 * the compensation, with this exception attached to it as suppressed ({@link #of(Throwable)} finds it): an Error is
 * never wrapped into something a caller may catch and swallow.
 *
 * <p>One exception to "the state is what it was": when a refused change towards populated could not be undone in
 * some listener (its compensating discard failed too), the blocks that listener may still map are left populated
 * (shared), never returned to private, so that no device keeps a mapping of private memory.
 * {@link #keptPopulatedBytes()} says how much.
 */
public class ConversionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What became of the state store when the store itself failed part-way through a write. */
  public enum StoreRecovery {
    /** The store did not fail (a listener refused). */
    NOT_NEEDED,
    /** The store was written back from the runs saved before the write, and reads back as before. */
    RESTORED,
    /** Writing back failed or did not read back as before, so a fresh store was built from the old one's runs. */
    REBUILT,
    /**
     * Neither worked: the region refuses further changes ({@link IllegalStateException}) rather than run on a
     * state it cannot trust; the failures are attached as suppressed.
     */
    FAILED
  }

  /** Start of the range whose change was refused, in bytes. */
  private final long offset;
  /** Length of the range whose change was refused, in bytes. */
  private final long length;
  /** Blocks left populated because a compensating discard failed (filled by the manager). */
  final transient RunList keptPopulated = new RunList();
  /** Bytes left populated because a compensating discard failed. */
  private long keptBytes;
  private transient RamDiscardListener listenerKept;
  /** What became of the state store. */
  private StoreRecovery storeRecovery = StoreRecovery.NOT_NEEDED;

  ConversionException(String message, long offset, long length, Throwable cause) {
    super(message, cause);
    this.offset = offset;
    this.length = length;
  }

  /**
   * The conversion exception {@code thrown} carries: {@code thrown} itself, or the one attached as suppressed to an
   * {@link Error} the manager rethrew. Empty for anything else.
   *
   * @param thrown what a conversion threw
   * @return the conversion exception, if there is one
   */
  public static Optional<ConversionException> of(Throwable thrown) {
    if (thrown instanceof ConversionException e) {
      return Optional.of(e);
    }
    if (thrown instanceof Error) {
      for (Throwable s : thrown.getSuppressed()) {
        if (s instanceof ConversionException e) {
          return Optional.of(e);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * What the caller of a public entry point gets: this exception, or its cause when that is an {@link Error}, which
   * is thrown from here with this exception attached. Use as {@code throw failure.surface()}.
   */
  RuntimeException surface() {
    if (getCause() instanceof Error error) {
      error.addSuppressed(this);
      throw error;
    }
    return this;
  }

  /** {@return start of the range whose change was refused, in bytes} */
  public long offset() {
    return offset;
  }

  /** {@return length of the range whose change was refused, in bytes} */
  public long length() {
    return length;
  }

  /**
   * Bytes left populated (shared) instead of being returned to their previous state, because a listener could not
   * release them; 0 when the rollback was exact.
   *
   * @return the bytes kept populated
   */
  public long keptPopulatedBytes() {
    return keptBytes;
  }

  void keptBytes(long bytes) {
    this.keptBytes = bytes;
  }

  /** {@return whether a state store failed, and if so how it was brought back} */
  public StoreRecovery storeRecovery() {
    return storeRecovery;
  }

  void storeRecovery(StoreRecovery recovery) {
    this.storeRecovery = recovery;
  }

  /**
   * For a refused registration whose undo failed: the listener the manager kept registered because it may still
   * hold some of the replayed runs (see {@link AttributeManager#registerListener}). Its owner releases it with
   * {@link AttributeManager#unregisterListener} once the cause is gone; a wrapper such as the DMA mapping listener
   * may have released it already, which {@link AttributeManager#isRegistered} tells. Empty otherwise.
   *
   * @return the listener kept registered, if any
   */
  public Optional<RamDiscardListener> listenerKept() {
    return Optional.ofNullable(listenerKept);
  }

  void listenerKept(RamDiscardListener listener) {
    this.listenerKept = listener;
  }

  /** {@return true when every compensation succeeded, so listeners and state agree again} */
  public boolean isConsistent() {
    return getSuppressed().length == 0;
  }
}
