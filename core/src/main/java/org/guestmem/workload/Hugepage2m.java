package org.guestmem.workload;

/**
 * Conversions in whole 2 MiB units, as a guest that backs its shared buffers with huge pages: runs of 1 to 4
 * units at random unit-aligned places, shared or private with equal odds. {@code ops} conversions (default 2,000).
 */
final class Hugepage2m implements Workload {
  static final long DEFAULT_OPS = 2_000;
  static final int MAX_RUN = 4;

  @Override
  public String name() {
    return "hugepage-2m";
  }

  @Override
  public String description() {
    return "conversions of 1-4 whole 2 MiB units at random places (--ops, default 2000)";
  }

  @Override
  public long operations(WorkloadSpec spec) {
    return spec.opsOr(DEFAULT_OPS);
  }

  @Override
  public OpStream ops(WorkloadSpec spec) {
    long huge = spec.unit(2L << 20);
    long units = spec.size() / huge;
    long total = spec.opsOr(DEFAULT_OPS);
    return new GeneratedOps(spec, total) {

      @Override
      protected boolean advance() {
        if (!takeOne()) {
          return false;
        }
        long run = 1 + random.nextLong(Math.min(MAX_RUN, units));
        long first = random.nextLong(units - run + 1);
        OpKind kind = random.chance(0.5) ? OpKind.SHARE : OpKind.PRIVATE;
        return emit(kind, first * huge, run * huge);
      }
    };
  }
}
