package org.guestmem.workload;

/**
 * A named, deterministic generator of region operations: the same {@link WorkloadSpec} yields the same operations,
 * for any region size (block indices are 64-bit; nothing is kept per block, so 16 TiB and beyond cost the same as
 * 1 GiB). Every operation is aligned to the granularity and lies inside the region.
 */
public interface Workload {

  /** {@return the name the registry and the command line know it by, e.g. {@code "boot-swiotlb"}} */
  String name();

  /** {@return one line saying what it does} */
  String description();

  /**
   * Whether the region needs a virtio-mem-like plug source (the workload plugs and unplugs); such a region starts
   * all unplugged. Most workloads only convert, so the default is {@code false}.
   *
   * @return whether the workload plugs and unplugs
   */
  default boolean usesPlugSource() {
    return false;
  }

  /**
   * {@return the operations for {@code spec}, as a fresh stream}
   *
   * @param spec the region, seed and operation count
   */
  OpStream ops(WorkloadSpec spec);

  /**
   * How many operations {@link #ops} yields for {@code spec}, computed without generating them (a progress bar's
   * total), or -1 if this workload cannot say. The workloads of this project always can.
   *
   * @param spec the region, seed and operation count
   * @return the number of operations, or -1
   * @throws IllegalArgumentException as {@link #ops} does for a spec it cannot serve
   */
  default long operations(WorkloadSpec spec) {
    return -1;
  }
}
