package org.guestmem.workload;

/**
 * A virtio-mem device in a confidential guest, so blocks take all three states: the region starts unplugged; the
 * device plugs 2 MiB blocks upwards from the start and unplugs from the top, as virtio-mem grows and shrinks its
 * plugged area, while the guest converts 4 KiB to 64 KiB ranges inside the plugged area (and now and then outside
 * it, which changes the attribute but notifies nobody). {@code ops} operations (default 20,000).
 */
final class VirtioMemCvm implements Workload {
  static final long DEFAULT_OPS = 20_000;
  static final int MAX_BLOCKS_PER_REQUEST = 4;

  @Override
  public String name() {
    return "virtio-mem-cvm";
  }

  @Override
  public String description() {
    return "virtio-mem plug/unplug of 2 MiB blocks mixed with 4-64 KiB conversions (three states; --ops, default"
        + " 20000)";
  }

  @Override
  public boolean usesPlugSource() {
    return true;
  }

  @Override
  public long operations(WorkloadSpec spec) {
    return spec.opsOr(DEFAULT_OPS);
  }

  @Override
  public OpStream ops(WorkloadSpec spec) {
    long block = spec.unit(2L << 20);
    long blocks = spec.size() / block;
    long page = spec.unit(4096);
    long maxPages = Math.max(1, spec.unit(64L << 10) / page);
    long total = spec.opsOr(DEFAULT_OPS);
    return new GeneratedOps(spec, total) {
      long plugged; // blocks [0, plugged) are plugged

      @Override
      protected boolean advance() {
        if (!takeOne()) {
          return false;
        }
        double r = random.nextDouble();
        if (plugged == 0 || (r < 0.25 && plugged < blocks)) {
          long n = 1 + random.nextLong(Math.min(MAX_BLOCKS_PER_REQUEST, blocks - plugged));
          long off = plugged * block;
          plugged += n;
          return emit(OpKind.PLUG, off, n * block);
        }
        if (r < 0.35) {
          long n = 1 + random.nextLong(Math.min(MAX_BLOCKS_PER_REQUEST, plugged));
          plugged -= n;
          return emit(OpKind.UNPLUG, plugged * block, n * block);
        }
        long area = random.chance(0.05) ? spec.size() : plugged * block;
        long pages = 1 + random.nextLong(maxPages);
        long areaPages = area / page;
        pages = Math.min(pages, areaPages);
        long first = random.nextLong(areaPages - pages + 1);
        OpKind kind = random.chance(0.55) ? OpKind.SHARE : OpKind.PRIVATE;
        return emit(kind, first * page, pages * page);
      }
    };
  }
}
