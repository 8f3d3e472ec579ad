package org.guestmem.it.realkernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.guestmem.dma.conformance.DmaContractSuite;
import org.guestmem.linux.AnonymousMemory;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The DMA back-end and mapping-listener contracts on real VFIO type1v2, on the edu device's group.
 *
 * <p>The entry-limit cases run with {@code dma_entry_limit} = 16, so that mapping #17 meets ENOSPC in milliseconds
 * instead of after 65,535 maps under emulation; every other case runs with the kernel's default, which the
 * randomized cases need (up to 256 entries).
 */
class Type1RealContractTest extends DmaContractSuite {
  static final long LOW_LIMIT = 16;
  private static final Set<String> LIMIT_CASES = Set.of("mapsPastTheEntryLimitFailWithEnospc",
      "theEntryLimitRefusesRegistrationWhenStrictAndTheConversionPastItOnDemand", "entryLimitOf16RefusesMapping17WithEnospcAndChangesNothing");

  Type1RealContractTest() {
    super(() -> RealKernel.real(RealKernel.type1()), UnmapRules.TYPE1V2, true);
  }

  @BeforeEach
  void entryLimitFor(TestInfo test) {
    String method = test.getTestMethod().orElseThrow().getName();
    RealKernel.setEntryLimit(LIMIT_CASES.contains(method) ? LOW_LIMIT : RealKernel.DEFAULT_ENTRY_LIMIT);
  }

  @AfterAll
  static void restoreEntryLimit() {
    RealKernel.setEntryLimit(RealKernel.DEFAULT_ENTRY_LIMIT);
  }

  @Test
  void entryLimitOf16RefusesMapping17WithEnospcAndChangesNothing() {
    long buffer = AnonymousMemory.map(PAGE);
    try (DmaBackend b = open()) {
      assertEquals(LOW_LIMIT, b.capabilities().remainingEntries(), "DMA_AVAIL right after VFIO_SET_IOMMU");
      long iova = 0x1000_0000L;
      for (int i = 0; i < LOW_LIMIT; i++) {
        b.map(iova + i * PAGE, PAGE, buffer, true, true);
      }
      assertEquals(0, b.capabilities().remainingEntries(), "DMA_AVAIL after 16 maps");
      DmaException e = assertThrows(DmaException.class,
          () -> b.map(iova + LOW_LIMIT * PAGE, PAGE, buffer, true, true));
      assertEquals(Errno.ENOSPC.number(), e.errno(), e.getMessage());
      assertEquals(LOW_LIMIT, b.entries());
      System.out.println("type1: dma_entry_limit=16, map #17 -> " + e.getMessage());
      assertEquals(LOW_LIMIT * PAGE, b.unmapAll());
    } finally {
      AnonymousMemory.unmap(buffer, PAGE);
    }
  }
}
