package org.guestmem.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.config.Providers;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.junit.jupiter.api.Test;

/** The DMA path over the real back-ends' embedded kernel models: counting, peaks, checks, refusals, closing. */
class BackendPathTest {
  static final long PAGE = 4096;
  static final long BASE = RunConfig.DEFAULT_BASE;
  static final Map<String, String> EMBEDDED = Map.of("kernel", "embedded");

  static AttributeManager region(long size) {
    return AttributeManager.builder().layout(new RegionLayout(size, PAGE, BASE, ReplayRunner.HOST_ADDRESS))
        .store(new ModelStoreProvider()).build();
  }

  /** {@code policy} on the embedded iommufd over {@code region}, after sharing 16 pages and discarding pages 4 to 7. */
  private static DmaPath sixteenPagesSharedThenFourDiscarded(AttributeManager region, String policy) {
    DmaPath path = DmaPaths.open("iommufd", policy, EMBEDDED);
    path.attach(region);
    region.share(0, 16 * PAGE);
    region.convert(4 * PAGE, 4 * PAGE, false);
    return path;
  }

  @Test
  void granuleCountsEveryCallAndKeepsThePeaks() {
    AttributeManager region = region(64L << 20);
    try (DmaPath path = sixteenPagesSharedThenFourDiscarded(region, "granule")) {
      assertEquals(16, path.mapCalls());
      assertEquals(1, path.unmapCalls(), "a discard is one unmap over the held granules");
      assertEquals(0, path.splitCalls());
      assertEquals(12, path.entries());
      assertEquals(16, path.peakEntries());
      assertEquals(12 * 384, path.kernelBytes());
      assertEquals(16 * 384, path.peakKernelBytes());
      assertEquals(12 * PAGE, path.pinnedBytes());
      assertEquals(16 * PAGE, path.peakPinnedBytes());
      path.verify(region);
      List<long[]> held = path.held();
      assertEquals(12, held.size());
      assertEquals(0, held.get(0)[0]);
      assertEquals(PAGE, held.get(0)[1]);
      assertEquals(8 * PAGE, held.get(4)[0], "offsets, not IOVAs");
    }
  }

  @Test
  void granuleBookkeepingFollowsTheRunsNotTheGranules() {
    AttributeManager region = region(64L << 20);
    try (DmaPath path = sixteenPagesSharedThenFourDiscarded(region, "granule")) {
      assertEquals(2 * 3, path.bookkeepingRecords(), "pages 0-3 and 8-15: two runs in the view, ledger and model");
      long before = ReplayRunner.bytesJol(path.bookkeeping());
      region.share(16 * PAGE, 4096 * PAGE);
      assertEquals(4108, path.entries(), "one entry per granule");
      assertEquals(2 * 3, path.bookkeepingRecords(), "the new granules continue the second run");
      assertEquals(before, ReplayRunner.bytesJol(path.bookkeeping()), "4,096 more granule mappings cost nothing");
    }
  }

  @Test
  void coalesceOnIommufdOpensWithTheCutPathAndCutsOnAPartialDiscard() {
    AttributeManager region = region(64L << 20);
    try (DmaPath path = sixteenPagesSharedThenFourDiscarded(region, "coalesce")) {
      assertEquals(1, path.mapCalls());
      assertEquals(1, path.splitCalls());
      assertEquals(0, path.unmapCalls());
      assertEquals(2, path.entries());
      assertEquals(2, path.peakEntries(), "the cut left two pieces: a peak no map reached");
      path.verify(region);
    }
  }

  @Test
  void coalesceWithoutACutPathIsAnUnsupportedCombinationSayingWhy() {
    AttributeManager region = region(64L << 20);
    try (DmaPath type1 = DmaPaths.open("vfio-type1", "coalesce", EMBEDDED)) {
      UnsupportedCombination e = assertThrows(UnsupportedCombination.class, () -> type1.attach(region));
      assertTrue(e.getMessage().contains("vfio-type1 cannot: type1v2 forbids bisecting unmaps"), e.getMessage());
      assertTrue(!e.getMessage().contains("--dma-option"), "no entry-limit hint for a policy refusal: "
          + e.getMessage());
    }
    Map<String, String> noCut = Map.of("kernel", "embedded", "cut", "false");
    try (DmaPath iommufd = DmaPaths.open("iommufd", "coalesce", noCut)) {
      UnsupportedCombination e = assertThrows(UnsupportedCombination.class, () -> iommufd.attach(region));
      assertTrue(e.getMessage().contains("iommufd cannot"), e.getMessage());
    }
    assertEquals(0, region.listenerCount(), "a refused registration leaves no listener");
  }

  @Test
  void type1GranuleOverTheEntryLimitNamesTheModuleParameterAndTheOption() {
    AttributeManager region = region(1L << 30); // 262,144 granules > 65,535
    try (DmaPath path = DmaPaths.open("vfio-type1", "granule", "strict", EMBEDDED)) {
      UnsupportedCombination e = assertThrows(UnsupportedCombination.class, () -> path.attach(region));
      assertTrue(e.getMessage().contains("262144 DMA entries"), e.getMessage());
      assertTrue(e.getMessage().contains("vfio_iommu_type1.dma_entry_limit"), e.getMessage());
      assertTrue(e.getMessage().endsWith("--dma-option vfio-type1:dma-entry-limit=262144"), e.getMessage());
    }
    try (DmaPath path = DmaPaths.open("vfio-type1", "granule",
        Map.of("kernel", "embedded", "dma-entry-limit", "262144"))) {
      path.attach(region);
      region.share(0, 8 * PAGE);
      assertEquals(8, path.entries());
      assertEquals(8 * 96, path.kernelBytes());
      path.verify(region);
    }
  }

  @Test
  void verifyFindsAMappingRemovedBehindTheListenersBack() {
    AttributeManager region = region(64L << 20);
    DmaBackend raw = Providers.dmaBackend("iommufd").open(EMBEDDED);
    try (BackendPath path = new BackendPath(raw, MappingPolicy.GRANULE, EntryLimitPolicy.DEFAULT, "")) {
      path.attach(region);
      region.share(0, 4 * PAGE);
      path.verify(region);
      raw.unmap(BASE + PAGE, PAGE);
      InvariantViolation v = assertThrows(InvariantViolation.class, () -> path.verify(region));
      assertTrue(v.getMessage().contains("differs from the back-end's mappings"), v.getMessage());
      raw.map(BASE + PAGE, PAGE, ReplayRunner.HOST_ADDRESS + PAGE, true, true); // so that closing is clean
    }
  }

  @Test
  void theRangeCheckFindsAMappingRemovedInItsRangeOrAGranuleBesideIt() {
    AttributeManager region = region(64L << 20);
    DmaBackend raw = Providers.dmaBackend("iommufd").open(EMBEDDED);
    try (BackendPath path = new BackendPath(raw, MappingPolicy.GRANULE, EntryLimitPolicy.DEFAULT, "")) {
      path.attach(region);
      region.share(0, 64 * PAGE);
      path.verify(region, 10 * PAGE, 4 * PAGE);
      raw.unmap(BASE + 20 * PAGE, PAGE);
      InvariantViolation v = assertThrows(InvariantViolation.class, () -> path.verify(region, 20 * PAGE, PAGE));
      assertTrue(v.getMessage().contains("differs from the back-end's mappings in IOVA [0x"), v.getMessage());
      assertThrows(InvariantViolation.class, () -> path.verify(region, 21 * PAGE, 3 * PAGE), "the granule before");
      assertThrows(InvariantViolation.class, () -> path.verify(region, 16 * PAGE, 4 * PAGE), "the granule after");
      path.verify(region, 30 * PAGE, 8 * PAGE); // elsewhere: not looked at
      assertThrows(InvariantViolation.class, () -> path.verify(region), "the whole check sees it too");
      raw.map(BASE + 20 * PAGE, PAGE, ReplayRunner.HOST_ADDRESS + 20 * PAGE, true, true); // so that closing is clean
    }
  }

  @Test
  void closingUnmapsEverythingAndFailsOnAMappingLeftBehind() {
    AttributeManager region = region(64L << 20);
    DmaBackend raw = Providers.dmaBackend("iommufd").open(EMBEDDED);
    BackendPath path = new BackendPath(raw, MappingPolicy.GRANULE, EntryLimitPolicy.DEFAULT, "");
    path.attach(region);
    region.share(0, 4 * PAGE);
    path.close();
    assertEquals(0, region.listenerCount());
    assertEquals(1, path.unmapCalls(), "unregistering discards the populated run: one unmap");
    path.close(); // idempotent
    assertEquals(1, path.unmapCalls());

    AttributeManager other = region(64L << 20);
    DmaBackend raw2 = Providers.dmaBackend("iommufd").open(EMBEDDED);
    BackendPath leaky = new BackendPath(raw2, MappingPolicy.GRANULE, EntryLimitPolicy.DEFAULT, "");
    leaky.attach(other);
    other.share(0, PAGE);
    raw2.map(BASE + (1L << 30), PAGE, ReplayRunner.HOST_ADDRESS + (1L << 30), true, true); // not the listener's
    InvariantViolation v = assertThrows(InvariantViolation.class, leaky::close);
    assertTrue(v.getMessage().contains("still holds 1 mappings"), v.getMessage());
    assertEquals(0, other.listenerCount());
  }

  @Test
  void unknownProviderOptionsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DmaPaths.open("iommufd", "granule", Map.of("kernel", "embedded", "nope", "1")));
    assertTrue(e.getMessage().contains("unknown iommufd option [nope]"), e.getMessage());
  }
}
