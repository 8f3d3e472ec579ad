package org.guestmem.dma.backend;

import org.guestmem.spi.MappingRunVisitor;

/**
 * The kernel object under a {@link LedgeredDmaBackend}, at the level of its ioctls: a VFIO type1 container or an
 * iommufd IOAS, on the real kernel ({@link RealDmaKernel}) or an embedded model of it. Each back-end extends this
 * with its own ioctls; this is what every one of them answers. Not thread-safe.
 */
public interface DmaKernel {

  /**
   * Walks the mappings as runs, ascending, and returns true, if this kernel object can list them (a model can);
   * returns false without calling {@code visitor} if it cannot (the real kernel).
   */
  boolean visitMappingRuns(MappingRunVisitor visitor);

  /**
   * As {@link #visitMappingRuns(MappingRunVisitor)}, for the runs overlapping {@code [first, last]} (inclusive; whole
   * runs). The default filters the whole walk; a model over a {@link MappingTable} answers in time proportional to
   * the runs visited.
   */
  default boolean visitMappingRuns(long first, long last, MappingRunVisitor visitor) {
    return visitMappingRuns(run -> {
      if (Long.compareUnsigned(run.iova(), last) <= 0 && Long.compareUnsigned(run.last(), first) >= 0) {
        visitor.visit(run);
      }
    });
  }

  /** Bytes pinned, if this kernel object knows them itself (a model does); else -1. */
  long pinnedBytes();

  /** Whether ioctls go to a real kernel. */
  boolean realKernel();

  /** Which path this is, for {@link org.guestmem.spi.DmaCapabilities#description()}. */
  String description();

  /** Releases the kernel object and the descriptors it holds. */
  void close();
}
