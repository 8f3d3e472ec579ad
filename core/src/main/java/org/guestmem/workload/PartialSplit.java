package org.guestmem.workload;

/**
 * The partial conversion QEMU's 4 KiB granularity exists for: share a 2 MiB range, then return its first 4 KiB to
 * private, at a random 2 MiB-aligned place each time. {@code ops} repetitions (default 2,000), two operations each.
 */
final class PartialSplit implements Workload {
  static final long DEFAULT_REPETITIONS = 2_000;

  @Override
  public String name() {
    return "partial-split";
  }

  @Override
  public String description() {
    return "share 2 MiB, then return its first 4 KiB to private, repeated (--ops repetitions, default 2000)";
  }

  @Override
  public long operations(WorkloadSpec spec) {
    return 2 * spec.opsOr(DEFAULT_REPETITIONS);
  }

  @Override
  public OpStream ops(WorkloadSpec spec) {
    long huge = spec.unit(2L << 20);
    long page = spec.unit(4096);
    long total = spec.opsOr(DEFAULT_REPETITIONS);
    return new GeneratedOps(spec, total) {
      long shared = -1;

      @Override
      protected boolean advance() {
        if (shared >= 0) {
          long off = shared;
          shared = -1;
          return emit(OpKind.PRIVATE, off, page);
        }
        if (!takeOne()) {
          return false;
        }
        shared = randomUnit(huge);
        return emit(OpKind.SHARE, shared, huge);
      }
    };
  }
}
