package org.guestmem.dma.iommufd.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.guestmem.conformance.FailingDmaBackend;
import org.guestmem.conformance.FailingDmaBackend.Call;
import org.guestmem.conformance.FailingDmaBackend.Effect;
import org.guestmem.conformance.FailingDmaBackend.Fault;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.dma.iommufd.IommufdProvider;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RegionLayout;
import org.guestmem.reliability.ShadowIommu;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.Errno;
import org.junit.jupiter.api.Test;

/**
 * Two faults in one conversion: a map fails, and the unmap that compensates it fails too. Single faults never leave
 * a stale mapping (the fault sweep); this pins down what a second one does today: the manager restores the state
 * (private), the mapping the failed compensation could not remove stays, the exception says so
 * ({@link ConversionException#isConsistent()} is false), the auditor and the shadow IOMMU report the stale page, and
 * closing the listener removes it.
 */
class CompensationFailureTest {
  private static final long G = 4096;

  @Test
  void aFailedCompensationIsReportedAndCloseRemovesTheStaleMapping() {
    DmaBackend raw = new IommufdProvider().open(Map.of("kernel", "embedded"));
    ShadowIommu shadow = new ShadowIommu(raw);
    FailingDmaBackend unmapFails = new FailingDmaBackend(shadow);
    FailingDmaBackend mapFails = new FailingDmaBackend(unmapFails);
    AttributeManager m = AttributeManager.builder()
        .layout(new RegionLayout(16 * G, G, 1L << 32, 0x7f00_0000_0000L)).store(new ModelStoreProvider()).build();
    DmaMappingListener l = DmaMappingListener.register(m, mapFails, MappingPolicy.GRANULE);

    mapFails.failOn(2, new Fault(Call.MAP, "IOMMU_IOAS_MAP", Errno.ENOMEM, Effect.NOTHING, "RLIMIT_MEMLOCK"), 0);
    unmapFails.failOn(1, new Fault(Call.UNMAP, "IOMMU_IOAS_UNMAP", Errno.EBUSY, Effect.NOTHING, "area busy"), 0);
    ConversionException e = assertThrows(ConversionException.class, () -> m.share(0, 4 * G));

    assertFalse(e.isConsistent(), "the failed compensation is attached: " + e);
    assertEquals(BlockState.PRIVATE, m.stateAt(0), "the state was restored");
    List<String> audit = MappingAuditor.audit(l);
    assertFalse(audit.isEmpty(), "the auditor sees the page mapped while private");
    assertTrue(shadow.check(l).stream().anyMatch(p -> p.startsWith("STALE: offsets [0x0, 0x1000)")),
        "the shadow IOMMU names the stale page: " + shadow.check(l));

    IllegalStateException leftover = assertThrows(IllegalStateException.class, l::close);
    assertTrue(leftover.getMessage().contains("mappings outlived the populated runs"), leftover.getMessage());
    MappingAuditor.checkNothingMapped(raw);
    assertTrue(shadow.recorded().isEmpty());
    raw.close();
  }
}
