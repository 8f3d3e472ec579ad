package org.guestmem.bench.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.dma.iommufd.IommufdProvider;
import org.guestmem.dma.type1.Type1Provider;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.store.bitmap.BitmapStoreProvider;
import org.junit.jupiter.api.Test;

/**
 * Replays the {@code boot-swiotlb} workload on a 64 GiB region (4 KiB granularity, IOVA base 4 GiB): all private;
 * the guest shares its bounce buffer (6% of memory, at most 1 GiB) in 2 MiB steps, plus two 4 KiB pages per vCPU
 * (8 vCPUs). The steps are written here directly (no workload generator in this tree). The region's host address is
 * a fixed aligned value: the embedded models check vaddrs for alignment and overflow, not residency.
 *
 * <p>Shows the entry counts of both policies and the kernel memory they cost on both DMA back-ends (hence this
 * module, which has both on its class path): granule takes one entry per 4 KiB of shared memory (262,144 per shared
 * GiB), coalesce one per populate run.
 */
class BootSwiotlbReplayTest {
  static final long G = 4096;
  static final long MIB = 1L << 20;
  static final long GIB = 1L << 30;
  static final long REGION = 64 * GIB;
  static final int VCPUS = 8;
  static final int PAGES_PER_VCPU = 2;

  /** One conversion to shared: offset, length. */
  record Share(long offset, long length) {}

  /** The boot-swiotlb steps for {@code size} bytes from {@code seed}. */
  static List<Share> bootSwiotlb(long size, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long bounce = Math.min(size * 6 / 100, GIB) & -(2 * MIB);
    long bounceAt = (rnd.nextLong((size - bounce) / (2 * MIB))) * 2 * MIB;
    List<Share> steps = new ArrayList<>();
    for (long at = 0; at < bounce; at += 2 * MIB) {
      steps.add(new Share(bounceAt + at, 2 * MIB));
    }
    for (int v = 0; v < VCPUS * PAGES_PER_VCPU; v++) {
      long page;
      do {
        page = rnd.nextLong(size / G) * G;
      } while (page >= bounceAt - G && page < bounceAt + bounce + G);
      steps.add(new Share(page, G));
    }
    return steps;
  }

  record Outcome(long entries, long sharedBytes, long populateRuns, long maximalRuns, long kernelBytes,
      long pinned) {}

  private static Outcome replay(DmaBackend backend, MappingPolicy policy, List<Share> steps) {
    AttributeManager m = AttributeManager.builder()
        .layout(new RegionLayout(REGION, G, 4 * GIB, 0x7f00_0000_0000L))
        .store(new BitmapStoreProvider()).build();
    DmaMappingListener l = DmaMappingListener.register(m, backend, policy);
    for (Share s : steps) {
      m.share(s.offset(), s.length());
    }
    MappingAuditor.check(l);
    long[] runs = {0};
    m.replayPopulated(0, REGION, (o, len) -> {
      runs[0]++;
      return 0;
    });
    Outcome out = new Outcome(backend.entries(), l.mappedBytes(), l.populateRuns(), runs[0],
        backend.kernelBytesEstimate(), backend.pinnedBytes());
    l.close();
    MappingAuditor.checkNothingMapped(backend);
    return out;
  }

  @Test
  void granuleTakesOneEntryPer4KiBAndCoalesceOnePerRun() {
    List<Share> steps = bootSwiotlb(REGION, 42);
    long shared = steps.stream().mapToLong(Share::length).sum();
    assertEquals(GIB + VCPUS * PAGES_PER_VCPU * G, shared, "1 GiB bounce buffer (6% of 64 GiB capped) + vCPU pages");

    Outcome granule;
    try (DmaBackend b = new IommufdProvider().open(Map.of("kernel", "embedded"))) {
      granule = replay(b, MappingPolicy.GRANULE, steps);
    }
    Outcome type1Granule;
    try (DmaBackend b = new Type1Provider().open(Map.of("kernel", "embedded",
        "dma-entry-limit", Long.toString(REGION / G)))) {
      type1Granule = replay(b, MappingPolicy.GRANULE, steps);
    }
    Outcome coalesce;
    try (DmaBackend b = new IommufdProvider().open(Map.of("kernel", "embedded", "cut", "true"))) {
      coalesce = replay(b, MappingPolicy.COALESCE, steps);
    }

    System.out.printf("boot-swiotlb on 64 GiB (seed 42): %d conversions, %d bytes shared, %d maximal populated runs%n",
        steps.size(), shared, coalesce.maximalRuns());
    System.out.printf("  granule  iommufd: %,9d entries, kernel estimate %,13d B (%.1f MiB at 384 B/area)%n",
        granule.entries(), granule.kernelBytes(), granule.kernelBytes() / (double) MIB);
    System.out.printf("  granule  type1  : %,9d entries, kernel estimate %,13d B (%.1f MiB at 96 B/vfio_dma)%n",
        type1Granule.entries(), type1Granule.kernelBytes(), type1Granule.kernelBytes() / (double) MIB);
    System.out.printf("  coalesce iommufd: %,9d entries, kernel estimate %,13d B (%.1f KiB), %d populate runs%n",
        coalesce.entries(), coalesce.kernelBytes(), coalesce.kernelBytes() / 1024.0, coalesce.populateRuns());

    assertEquals(shared / G, granule.entries(), "granule: one entry per 4 KiB of shared memory");
    assertEquals(262_144, granule.entries() - VCPUS * PAGES_PER_VCPU, "262,144 entries for the shared GiB");
    assertEquals(granule.entries() * 384, granule.kernelBytes());
    assertEquals(type1Granule.entries(), granule.entries());
    assertEquals(type1Granule.entries() * 96, type1Granule.kernelBytes());
    assertEquals(shared, granule.pinned(), "a device attached: every mapped byte pinned");

    assertEquals(steps.size(), coalesce.populateRuns());
    assertTrue(coalesce.entries() <= coalesce.populateRuns(), "coalesce: at most one entry per populate run");
    assertEquals(512 + VCPUS * PAGES_PER_VCPU, coalesce.entries(),
        "one per 2 MiB step and per vCPU page: runs shared by separate conversions are not merged");
    assertTrue(coalesce.entries() >= coalesce.maximalRuns());
    assertEquals(1 + VCPUS * PAGES_PER_VCPU, coalesce.maximalRuns(), "the bounce buffer is one maximal run");
    assertEquals(coalesce.entries() * 384, coalesce.kernelBytes());
    assertEquals(shared, coalesce.pinned());
  }
}
