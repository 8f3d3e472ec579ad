package org.guestmem.dma.iommufd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.guestmem.dma.conformance.AllocationMeter;
import org.guestmem.spi.DmaBackend;
import org.junit.jupiter.api.Test;

/**
 * Granule maps, unmaps and cuts on the embedded iommufd model opened with cut=true allocate nothing per call: the
 * back-end's ledger and the model's areas grow one run, not one object per area, a cut splits a run in place, and
 * nothing is formatted unless a call fails.
 */
class IommufdAllocationTest {
  private static final long G = 4096;
  private static final int GRANULES = 50_000;
  private static final long BASE = 1L << 32;
  private static final long VA = 0x7000_0000_0000L;

  private static DmaBackend openWithCuts() {
    return new IommufdProvider().open(Map.of("kernel", "embedded", "cut", "true"));
  }

  @Test
  void granuleMapsThatExtendOneRunTheirUnmapsAndCutsAllocateNothingPerCall() {
    try (DmaBackend b = openWithCuts()) {
      for (int i = 0; i < GRANULES; i++) {
        b.map(BASE + i * G, G, VA + i * G, true, true);
      }
      assertEquals(GRANULES, b.entries());
      assertEquals(1, b.mappingRuns().size(), "the granules extend one run");
      b.unmapAll();

      double perCall = AllocationMeter.bytesPerCall(() -> {
        for (int i = 0; i < GRANULES; i++) {
          b.map(BASE + i * G, G, VA + i * G, true, true);
        }
        // The first half unmapped, the second cut, a granule at a time from the front.
        for (int i = 0; i < GRANULES / 2; i++) {
          b.unmap(BASE + i * G, G);
        }
        for (int i = GRANULES / 2; i < GRANULES; i++) {
          b.cut(BASE + i * G, G);
        }
        return 2L * GRANULES;
      });
      System.out.printf("iommufd embedded, cut=true: %.3f bytes allocated per granule map, unmap or cut%n",
          perCall);
      assertEquals(0, b.entries());
      assertTrue(perCall < 16, perCall + " bytes allocated per map, unmap or cut");
    }
  }

  @Test
  void cuttingGranulesOffOneAreaAllocatesNothingPerCut() {
    try (DmaBackend b = openWithCuts()) {
      b.map(BASE, GRANULES * G, VA, true, true);
      assertEquals(G, b.cut(BASE, G));
      assertEquals(1, b.entries(), "the cut left the rest of the area as one area");
      b.unmapAll();

      double perCall = AllocationMeter.bytesPerCall(() -> {
        b.map(BASE, GRANULES * G, VA, true, true);
        for (int i = 0; i < GRANULES; i++) {
          b.cut(BASE + i * G, G);
        }
        return GRANULES + 1L;
      });
      System.out.printf("iommufd embedded, cut=true: %.3f bytes allocated per cut that splits an area%n", perCall);
      assertEquals(0, b.entries());
      assertTrue(perCall < 16, perCall + " bytes allocated per cut");
    }
  }
}
