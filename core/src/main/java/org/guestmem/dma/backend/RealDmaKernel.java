package org.guestmem.dma.backend;

import java.util.ArrayDeque;
import java.util.Deque;
import org.guestmem.spi.MappingRunVisitor;

/**
 * A {@link DmaKernel} on the real kernel: its uAPI can neither list mappings nor report pinned bytes, so the back-end
 * answers both from its ledger. Subclasses acquire descriptors in their constructor, register how to release each
 * with {@link #onRelease} as they go, and call {@link #release} when the set-up fails part-way; {@link #close()}
 * releases the same way.
 */
public abstract class RealDmaKernel implements DmaKernel {
  private final Deque<Runnable> releases = new ArrayDeque<>();

  /** Always false: no ioctl lists a container's or an IOAS's mappings. */
  @Override
  public final boolean visitMappingRuns(MappingRunVisitor visitor) {
    return false;
  }

  /** Always -1: the pinned bytes are counted in the process's {@code locked_vm}, not reported per container. */
  @Override
  public final long pinnedBytes() {
    return -1;
  }

  @Override
  public final boolean realKernel() {
    return true;
  }

  /**
   * Registers how to release what the subclass has just acquired (a descriptor, a kernel object): {@link #release}
   * runs it before what was acquired earlier, as the kernel wants (a device before its IOAS, a group before its
   * container).
   *
   * @param step releases one thing; may throw
   */
  protected final void onRelease(Runnable step) {
    releases.push(step);
  }

  /** Releases everything acquired, the last first ({@link #release}); a second call does nothing. */
  @Override
  public final void close() {
    release(null);
  }

  /**
   * Runs every step registered with {@link #onRelease}, the last registered first and each once, also after one has
   * failed, so that one descriptor that cannot be released does not leak the others.
   *
   * @param primary the failure that made the caller release (a set-up that failed part-way): the steps' failures are
   *     added to it as suppressed and nothing is thrown; null on an ordinary close
   * @throws RuntimeException when {@code primary} is null, the first step's failure, the later ones suppressed
   */
  protected final void release(RuntimeException primary) {
    RuntimeException first = primary;
    while (!releases.isEmpty()) {
      try {
        releases.pop().run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (primary == null && first != null) {
      throw first;
    }
  }
}
