package org.guestmem.dma.type1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.guestmem.dma.conformance.AllocationMeter;
import org.guestmem.spi.DmaBackend;
import org.junit.jupiter.api.Test;

/**
 * Granule maps and unmaps on the embedded type1v2 model allocate nothing per call: the back-end's ledger and the
 * model's table grow one run, not one object per mapping, and nothing is formatted unless a call fails.
 */
class Type1AllocationTest {
  private static final long G = 4096;
  private static final int GRANULES = 50_000;
  private static final long BASE = 1L << 32;
  private static final long VA = 0x7000_0000_0000L;

  @Test
  void granuleMapsThatExtendOneRunAndTheirUnmapsAllocateNothingPerCall() {
    try (DmaBackend b = new Type1Provider().open(Map.of("kernel", "embedded"))) {
      for (int i = 0; i < GRANULES; i++) {
        b.map(BASE + i * G, G, VA + i * G, true, true);
      }
      assertEquals(GRANULES, b.entries());
      assertEquals(1, b.mappingRuns().size(), "the granules extend one run");
      for (int i = 0; i < GRANULES; i++) {
        assertEquals(G, b.unmap(BASE + i * G, G));
      }
      assertEquals(0, b.entries());

      double perCall = AllocationMeter.bytesPerCall(() -> {
        for (int i = 0; i < GRANULES; i++) {
          b.map(BASE + i * G, G, VA + i * G, true, true);
        }
        for (int i = 0; i < GRANULES; i++) {
          b.unmap(BASE + i * G, G);
        }
        return 2L * GRANULES;
      });
      System.out.printf("vfio-type1 embedded: %.3f bytes allocated per granule map or unmap%n", perCall);
      assertEquals(0, b.entries());
      assertTrue(perCall < 16, perCall + " bytes allocated per map or unmap");
    }
  }
}
