package org.guestmem.dma;

import java.util.Objects;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.PinnedRanges;

/**
 * The host pages a {@link DmaBackend} pins, as {@link PinnedRanges} for a memory-attribute back-end: every page a
 * mapping's vaddr range covers. That is what type1 pins at map time; iommufd pins lazily, when a device's domain
 * needs the pages, so for it this is the upper bound (the safe side: a model that sees more pins than the kernel
 * refuses more, never less). Walks the back-end's runs of uniform mappings on every call, O(runs): meant for the
 * embedded models and tests, where the pins must agree with the DMA model's.
 */
public final class DmaPins implements PinnedRanges {
  private final DmaBackend backend;

  private DmaPins(DmaBackend backend) {
    this.backend = backend;
  }

  /**
   * {@return the pins of {@code backend}'s mappings}
   *
   * @param backend the back-end, not null
   */
  public static DmaPins of(DmaBackend backend) {
    return new DmaPins(Objects.requireNonNull(backend, "backend"));
  }

  @Override
  public long firstPinned(long vaddr, long length) {
    long end = vaddr + length;
    long[] first = {-1};
    synchronized (backend) {
      backend.visitMappingRuns(run -> {
        long s = run.vaddr();
        long e = run.vaddr() + run.bytes();
        if (s < end && e > vaddr) {
          long at = Math.max(s, vaddr);
          first[0] = first[0] < 0 ? at : Math.min(first[0], at);
        }
      });
    }
    return first[0];
  }
}
