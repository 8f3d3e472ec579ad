package org.guestmem.spi;

/**
 * Which host pages hold an extra reference (a pin), for a {@link MemoryAttributeBackend} that refuses to make pinned
 * memory private as the kernel's guest_memfd does. A DMA back-end's mappings are the usual source (every page an
 * IOMMU mapping covers is pinned); tests add direct pins.
 *
 * <p>Implementations must be safe to call from the thread converting a region while no mapping changes
 * concurrently (the region's lock orders them).
 */
@FunctionalInterface
public interface PinnedRanges {
  /** Nothing is pinned. */
  PinnedRanges NONE = (vaddr, length) -> -1;

  /**
   * The lowest pinned host address in {@code [vaddr, vaddr + length)}, or -1 when none is pinned.
   *
   * @param vaddr the first host (user-space) address
   * @param length bytes, positive
   * @return the lowest pinned address in the range, or -1
   */
  long firstPinned(long vaddr, long length);

  /**
   * Pins from either source: the lowest pinned address of {@code this} and {@code other}.
   *
   * @param other the other source
   * @return the union of both
   */
  default PinnedRanges and(PinnedRanges other) {
    return (vaddr, length) -> {
      long a = firstPinned(vaddr, length);
      long b = other.firstPinned(vaddr, length);
      if (a < 0) {
        return b;
      }
      return b < 0 ? a : Math.min(a, b);
    };
  }
}
