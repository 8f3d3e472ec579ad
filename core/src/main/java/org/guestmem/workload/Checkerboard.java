package org.guestmem.workload;

/**
 * Every other block shared, from the start of the region: the worst case for run-based stores and for coalescing
 * (every run is one block). {@code ops} shared blocks (default: the whole region, at most 262,144), capped at half
 * the blocks.
 */
final class Checkerboard implements Workload {
  static final long DEFAULT_MAX = 262_144;

  @Override
  public String name() {
    return "checkerboard";
  }

  @Override
  public String description() {
    return "every other block shared from offset 0, worst case for runs (--ops blocks, default min(blocks/2, 262144))";
  }

  @Override
  public long operations(WorkloadSpec spec) {
    return Math.min(spec.blocks() / 2, spec.opsOr(Math.min(spec.blocks() / 2, DEFAULT_MAX)));
  }

  @Override
  public OpStream ops(WorkloadSpec spec) {
    long g = spec.granularity();
    long total = operations(spec);
    return new GeneratedOps(spec) {
      long i;

      @Override
      protected boolean advance() {
        if (i == total) {
          return false;
        }
        long off = 2 * i * g;
        i++;
        return emit(OpKind.SHARE, off, g);
      }
    };
  }
}
