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

  /** Bytes pinned, if this kernel object knows them itself (a model does); else -1. */
  long pinnedBytes();

  /** Whether ioctls go to a real kernel. */
  boolean realKernel();

  /** Which path this is, for {@link org.guestmem.spi.DmaCapabilities#description()}. */
  String description();

  /** Releases the kernel object and the descriptors it holds. */
  void close();
}
