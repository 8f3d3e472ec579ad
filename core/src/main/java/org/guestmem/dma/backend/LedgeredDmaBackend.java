package org.guestmem.dma.backend;

import java.util.Objects;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MappingRunVisitor;

/**
 * A {@link DmaBackend} over a {@link DmaKernel} that keeps a ledger of what the kernel holds, because the real
 * kernel cannot list its mappings: the ledger answers {@link #entries()}, {@link #kernelBytesEstimate()}, and
 * {@link #mappings()} and {@link #pinnedBytes()} where the kernel object cannot. Subclasses issue the ioctls, keep
 * the ledger in step with them (also where a call fails part-way) and cross-check the bytes an unmap removed with
 * {@link #crossChecked}.
 *
 * <p>{@link #close()} unmaps what the ledger holds, then closes the kernel object; afterwards every ioctl-backed
 * call fails with EBADF ({@link #checkOpen}). Not thread-safe.
 */
public abstract class LedgeredDmaBackend implements DmaBackend {
  /** What this back-end believes the kernel holds. */
  protected final MappingTable ledger = new MappingTable();
  private final String name;
  private final DmaKernel kernel;
  private final String why;
  private final long kernelBytesPerEntry;
  private final String kernelObject;
  private final String entryNoun;
  private boolean closed;

  /**
   * @param name the provider's name
   * @param kernel the kernel object the subclass issues its ioctls to; this back-end closes it
   * @param why why this kernel path was taken, for {@link org.guestmem.spi.DmaCapabilities#description()}
   * @param kernelBytesPerEntry kernel memory one mapping costs
   * @param kernelObject what the kernel object is called in messages ({@code "container"}, {@code "IOAS"})
   * @param entryNoun what one mapping is called in {@link #toString()}, plural ({@code "mappings"}, {@code "areas"})
   */
  protected LedgeredDmaBackend(String name, DmaKernel kernel, String why, long kernelBytesPerEntry, String kernelObject,
      String entryNoun) {
    this.name = Objects.requireNonNull(name, "name");
    this.kernel = Objects.requireNonNull(kernel, "kernel");
    this.why = why;
    this.kernelBytesPerEntry = kernelBytesPerEntry;
    this.kernelObject = kernelObject;
    this.entryNoun = entryNoun;
  }

  @Override
  public final String name() {
    return name;
  }

  /** {@return {@code "name: kernel path (why)"}, for {@link org.guestmem.spi.DmaCapabilities#description()}} */
  protected final String describe() {
    return name + ": " + kernel.description() + " (" + why + ")";
  }

  @Override
  public final void visitMappingRuns(MappingRunVisitor visitor) {
    if (closed || !kernel.visitMappingRuns(visitor)) {
      ledger.forEachRun(visitor);
    }
  }

  @Override
  public final void visitMappingRuns(long first, long last, MappingRunVisitor visitor) {
    if (closed || !kernel.visitMappingRuns(first, last, visitor)) {
      ledger.forEachRunOverlapping(first, last, visitor);
    }
  }

  @Override
  public final long entries() {
    return ledger.entries();
  }

  @Override
  public final long pinnedBytes() {
    long pinned = closed ? -1 : kernel.pinnedBytes();
    return pinned >= 0 ? pinned : pinnedByLedger();
  }

  /** {@return what the real kernel pins for the mappings in the ledger, when the kernel object cannot say} */
  protected abstract long pinnedByLedger();

  @Override
  public final long kernelBytesEstimate() {
    return ledger.entries() * kernelBytesPerEntry;
  }

  /**
   * Returns {@code removed} when it equals {@code expected}, the bytes the ledger held in the range.
   *
   * @param ioctl the unmap ioctl, for the message
   * @param iova first IOVA of the range
   * @param lengthField what the ioctl calls the length ({@code size}, {@code length})
   * @param length length of the range
   * @param removed the bytes the kernel object says it removed
   * @param expected the bytes the ledger held in the range
   * @return {@code removed}
   * @throws IllegalStateException when they differ: the kernel object was changed behind this back-end's back
   */
  protected final long crossChecked(String ioctl, long iova, String lengthField, long length, long removed,
      long expected) {
    if (removed != expected) {
      throw new IllegalStateException(String.format("%s(iova=0x%x %s=0x%x) removed 0x%x bytes but this back-end's "
          + "ledger held 0x%x there: the %s was changed behind its back", ioctl, iova, lengthField, length, removed,
          expected, kernelObject));
    }
    return removed;
  }

  /**
   * Fails with EBADF once closed.
   *
   * @param ioctl the ioctl about to be issued, for the exception
   * @throws DmaException naming {@code ioctl} when this back-end is closed
   */
  protected final void checkOpen(String ioctl) {
    if (closed) {
      throw new DmaException(ioctl, Errno.EBADF, "", name + " back-end is closed");
    }
  }

  @Override
  public final void close() {
    if (closed) {
      return;
    }
    try {
      if (!ledger.isEmpty()) {
        unmapAll();
      }
    } finally {
      closed = true;
      ledger.clear();
      kernel.close();
    }
  }

  @Override
  public String toString() {
    return name + "[" + kernel.description() + ", " + ledger.entries() + " " + entryNoun + "]";
  }
}
