package org.guestmem.workload;

/**
 * Steady DMA churn: 4 KiB to 64 KiB conversions, shared or private with equal odds, at skewed addresses. A 1 GiB
 * working set (or the whole region, if smaller) sits at a seeded place; inside it, 64 KiB slots are chosen with
 * density falling as the cube of the distance from its start, as a driver's buffer pool reuses its first buffers
 * most. {@code ops} conversions (default 100,000).
 */
final class DynamicDma implements Workload {
  static final long DEFAULT_OPS = 100_000;
  static final long WORKING_SET = 1L << 30;

  @Override
  public String name() {
    return "dynamic-dma";
  }

  @Override
  public String description() {
    return "churn: 4-64 KiB shared<->private conversions at skewed addresses in a 1 GiB working set"
        + " (--ops, default 100000)";
  }

  @Override
  public long operations(WorkloadSpec spec) {
    return spec.opsOr(DEFAULT_OPS);
  }

  @Override
  public OpStream ops(WorkloadSpec spec) {
    long slot = spec.unit(64L << 10);
    long page = spec.unit(4096);
    long pagesPerSlot = slot / page;
    long slots = Math.max(1, Math.min(spec.size(), WORKING_SET) / slot);
    long total = spec.opsOr(DEFAULT_OPS);
    return new GeneratedOps(spec, total) {
      final long base = random.nextLong(spec.size() / slot - slots + 1) * slot;

      @Override
      protected boolean advance() {
        if (!takeOne()) {
          return false;
        }
        double u = random.nextDouble();
        long index = Math.min(slots - 1, (long) (slots * u * u * u));
        long pagesLong = 1 + random.nextLong(pagesPerSlot);
        long first = random.nextLong(pagesPerSlot - pagesLong + 1);
        OpKind kind = random.chance(0.5) ? OpKind.SHARE : OpKind.PRIVATE;
        return emit(kind, base + index * slot + first * page, pagesLong * page);
      }
    };
  }
}
