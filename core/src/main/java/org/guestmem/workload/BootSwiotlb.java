package org.guestmem.workload;

/**
 * A confidential guest booting: all memory starts private; the guest shares its SWIOTLB bounce buffer (6% of
 * memory, at most 1 GiB, as Linux sizes it for SEV/TDX) in 2 MiB steps, then a few 4 KiB pages per vCPU (GHCB,
 * steal-time and kvmclock pages). The spec's {@code ops} is the number of vCPUs (default 8).
 */
final class BootSwiotlb implements Workload {
  static final long MAX_BOUNCE = 1L << 30;
  static final int DEFAULT_VCPUS = 8;
  static final int PAGES_PER_VCPU = 3;

  @Override
  public String name() {
    return "boot-swiotlb";
  }

  @Override
  public String description() {
    return "boot: share the bounce buffer (6% of memory, at most 1 GiB) in 2 MiB steps, then 3 pages per vCPU"
        + " (--ops = vCPUs, default 8)";
  }

  @Override
  public long operations(WorkloadSpec spec) {
    return bounceBytes(spec) / spec.unit(2L << 20) + spec.opsOr(DEFAULT_VCPUS) * PAGES_PER_VCPU;
  }

  /** The bounce buffer: 6% of the region in whole steps, at least one step, at most {@link #MAX_BOUNCE}. */
  private static long bounceBytes(WorkloadSpec spec) {
    long step = spec.unit(2L << 20);
    return Math.max(step, Math.min(MAX_BOUNCE, spec.size() * 6 / 100) / step * step);
  }

  @Override
  public OpStream ops(WorkloadSpec spec) {
    long step = spec.unit(2L << 20);
    long page = spec.unit(4096);
    long bounce = bounceBytes(spec);
    long pages = spec.opsOr(DEFAULT_VCPUS) * PAGES_PER_VCPU;
    return new GeneratedOps(spec) {
      long bounceBase = -1;
      long next;
      long pagesLeft = pages;

      @Override
      protected boolean advance() {
        if (bounceBase < 0) {
          // Where Linux would find room for it: any step-aligned place the whole buffer fits.
          bounceBase = random.nextLong((spec.size() - bounce) / step + 1) * step;
          next = bounceBase;
        }
        if (next < bounceBase + bounce) {
          long off = next;
          next += step;
          return emit(OpKind.SHARE, off, step);
        }
        if (pagesLeft > 0) {
          pagesLeft--;
          return emit(OpKind.SHARE, randomUnit(page), page);
        }
        return false;
      }
    };
  }
}
