package org.guestmem.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.guestmem.config.TestDmaProvider;
import org.guestmem.conformance.ModelMemoryAttributes;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RamDiscardListener;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackendProvider.Region;
import org.guestmem.spi.MemoryAttributeException;
import org.junit.jupiter.api.Test;

/**
 * {@link MappingAuditor} reports a conversion to private that KVM refused because one of the region's own listeners
 * still mapped a page it had been told to discard: the refusal the manager counts as a bug
 * ({@link AttributeManager#heldPinRefusals()}), which no retry can fix.
 */
class MappingAuditorHeldPinTest {
  static final long P = 4096;
  static final int PAGES = 32;
  static final long IOVA = 1L << 32;
  /** Where the faulty listener maps its second view of the region: far from the DMA listener's window. */
  static final long MIRROR_IOVA = 1L << 40;
  static final long HOST = 0x7f00_0000_0000L;

  @Test
  void aKvmRefusalForAPageAListenerStillMapsIsReportedWithItsOffset() {
    DmaBackend iommu = new TestDmaProvider().open(Map.of());
    RegionLayout layout = new RegionLayout(PAGES * P, P, IOVA, HOST);
    ModelMemoryAttributes kvm = new ModelMemoryAttributes(
        new Region(PAGES * P, IOVA, 0, HOST, DmaPins.of(iommu, layout), Map.of()), true);
    AttributeManager m = AttributeManager.builder().layout(layout).store(new ModelStoreProvider())
        .memoryAttributes(kvm).pinRetries(3).build();
    DmaMappingListener dma = DmaMappingListener.register(m, iommu, MappingPolicy.GRANULE);
    KeepsMappings faulty = new KeepsMappings(iommu);
    m.registerListener(faulty, 0, PAGES * P);

    m.share(0, 8 * P);
    assertEquals(List.of(), MappingAuditor.audit(dma), "consistent before the faulty discard");

    ConversionException e = assertThrows(ConversionException.class, () -> m.makePrivate(2 * P, 4 * P));
    MemoryAttributeException refusal = (MemoryAttributeException) e.getCause();
    assertEquals(Errno.EAGAIN, refusal.errnoConstant(), e.getMessage());
    assertEquals(2 * P, refusal.errorRegionOffset().orElseThrow());
    assertEquals(1, m.heldPinRefusals());
    assertEquals(0, m.pinRetriesMade(), "a page guestmem holds is not retried");
    assertTrue(e.isConsistent(), List.of(e.getSuppressed()).toString());

    List<String> problems = MappingAuditor.audit(dma);
    assertEquals(1, problems.size(), "only the held-pin refusal: the DMA listener got its mappings back "
        + problems);
    String report = problems.get(0);
    assertTrue(report.startsWith("1 conversion(s) to private refused by KVM"), report);
    assertTrue(report.contains("region offset 0x2000") && report.contains(faulty.toString()), report);
    IllegalStateException check = assertThrows(IllegalStateException.class, () -> MappingAuditor.check(dma));
    assertTrue(check.getMessage().contains("0x2000"), check.getMessage());
    assertTrue(kvm.isUniform(0, 8 * P, true) && m.isPopulated(0, 8 * P), "the refused conversion changed state");
  }

  /**
   * A deliberately faulty listener: maps every populated page a second time (at {@link #MIRROR_IOVA}) and ignores
   * discards, so the pages stay pinned after they should have been released.
   */
  private static final class KeepsMappings implements RamDiscardListener {
    private final DmaBackend iommu;
    private final BitSet held = new BitSet();

    KeepsMappings(DmaBackend iommu) {
      this.iommu = iommu;
    }

    @Override
    public void populate(long offset, long length) {
      for (long at = offset; at < offset + length; at += P) {
        if (!held.get((int) (at / P))) {
          iommu.map(MIRROR_IOVA + at, P, HOST + at, true, true);
          held.set((int) (at / P));
        }
      }
    }

    @Override
    public void discard(long offset, long length) {
      // the fault: the pages stay mapped
    }

    @Override
    public boolean holds(long offset) {
      return held.get((int) (offset / P));
    }

    @Override
    public String toString() {
      return "KeepsMappings";
    }
  }
}
