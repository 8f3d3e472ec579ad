package org.guestmem.dma.backend;

import java.util.Objects;
import org.guestmem.spi.IovaRange;
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
   *
   * @param visitor called once per run, in IOVA order
   * @return whether the runs were walked
   */
  boolean visitMappingRuns(MappingRunVisitor visitor);

  /**
   * As {@link #visitMappingRuns(MappingRunVisitor)}, for the runs overlapping {@code [first, last]} (inclusive; whole
   * runs). The default filters the whole walk; a model over a {@link MappingTable} answers in time proportional to
   * the runs visited.
   *
   * @param first first IOVA of the window, inclusive
   * @param last last IOVA of the window, inclusive
   * @param visitor called once per overlapping run, in IOVA order
   * @return whether the runs were walked
   */
  default boolean visitMappingRuns(long first, long last, MappingRunVisitor visitor) {
    return visitMappingRuns(run -> {
      if (IovaRange.overlaps(run.iova(), run.last(), first, last)) {
        visitor.visit(run);
      }
    });
  }

  /** {@return bytes pinned, if this kernel object knows them itself (a model does); else -1} */
  long pinnedBytes();

  /** {@return whether ioctls go to a real kernel} */
  boolean realKernel();

  /** {@return which path this is, for {@link org.guestmem.spi.DmaCapabilities#description()}} */
  String description();

  /** Releases the kernel object and the descriptors it holds. */
  void close();

  /**
   * The kernel object of a back-end with no kernel under it (an in-memory or recording back-end): it lists no
   * mappings and knows no pinned bytes, so the {@link LedgeredDmaBackend}'s ledger is the whole state, and closing
   * it releases nothing.
   *
   * @param description what the path is, for {@link org.guestmem.spi.DmaCapabilities#description()}; it should
   *     contain the word {@code embedded}, as {@link org.guestmem.spi.DmaBackendProvider} asks of every back-end that
   *     is not on a real kernel
   * @return a kernel object that is not a real kernel
   */
  static DmaKernel none(String description) {
    Objects.requireNonNull(description, "description");
    return new DmaKernel() {
      @Override
      public boolean visitMappingRuns(MappingRunVisitor visitor) {
        return false;
      }

      @Override
      public long pinnedBytes() {
        return -1;
      }

      @Override
      public boolean realKernel() {
        return false;
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public void close() {}
    };
  }
}
