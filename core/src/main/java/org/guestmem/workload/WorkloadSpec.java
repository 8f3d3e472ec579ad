package org.guestmem.workload;

import org.guestmem.region.RegionLayout;

/**
 * What a workload is generated for: the region's size and granularity, the seed, and how many operations a churn
 * workload makes.
 *
 * @param size region size in bytes, a positive multiple of {@code granularity}
 * @param granularity the region's block size (a power of two, at least 4096); every operation is a multiple of it
 * @param seed the seed; the same spec always yields the same operations, on every JDK
 * @param ops the number of operations (or repetitions, for the workloads that say so); 0 for the workload's default
 */
public record WorkloadSpec(long size, long granularity, long seed, long ops) {

  /**
   * Checks the components.
   *
   * @param size region size in bytes, a positive multiple of {@code granularity}
   * @param granularity the region's block size (a power of two, at least 4096); every operation is a multiple of it
   * @param seed the seed; the same spec always yields the same operations, on every JDK
   * @param ops the number of operations (or repetitions, for the workloads that say so); 0 for the workload's default
   * @throws IllegalArgumentException naming the value if the region rules ({@link org.guestmem.region.RegionLayout})
   *     are broken or {@code ops} is negative
   */
  public WorkloadSpec {
    new RegionLayout(size, granularity, 0, 0); // the region rules, with their messages
    if (ops < 0) {
      throw new IllegalArgumentException("ops " + ops + " must be 0 (the default) or positive");
    }
  }

  /**
   * {@return a spec with the workload's default number of operations}
   *
   * @param size region size in bytes, a positive multiple of {@code granularity}
   * @param granularity the region's block size (a power of two, at least 4096)
   * @param seed the seed
   */
  public static WorkloadSpec of(long size, long granularity, long seed) {
    return new WorkloadSpec(size, granularity, seed, 0);
  }

  /** {@return number of blocks in the region} */
  public long blocks() {
    return size / granularity;
  }

  /** {@link #ops} if set, else {@code fallback}. */
  long opsOr(long fallback) {
    return ops > 0 ? ops : fallback;
  }

  /**
   * The size a nominal unit (a 4 KiB page, a 2 MiB huge page) has in this region: at least one block, at most the
   * region. Nominal units and granularities are powers of two, so the result stays a multiple of the granularity.
   */
  long unit(long nominal) {
    return Math.min(Math.max(nominal, granularity), size);
  }
}
