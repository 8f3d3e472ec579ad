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
 * a stale mapping (the fault sweep). With two, the manager must not return the range to private while a listener may
 * still map it: the range is left shared, the listeners are told populate again so that they agree, and the
 * exception says how much was kept ({@link ConversionException#keptPopulatedBytes()}). No page is ever mapped while
 * private.
 */
class CompensationFailureTest {
  private static final long G = 4096;

  private static DmaBackend embeddedIommufd() {
    return new IommufdProvider().open(Map.of("kernel", "embedded"));
  }

  /** A 16-block region whose IOVAs start at 4 GiB. */
  private static AttributeManager region() {
    return AttributeManager.builder().layout(new RegionLayout(16 * G, G, 1L << 32, 0x7f00_0000_0000L))
        .store(new ModelStoreProvider()).build();
  }

  @Test
  void aFailedCompensationIsReportedAndCloseRemovesTheStaleMapping() {
    DmaBackend raw = embeddedIommufd();
    ShadowIommu shadow = new ShadowIommu(raw);
    FailingDmaBackend unmapFails = new FailingDmaBackend(shadow);
    FailingDmaBackend mapFails = new FailingDmaBackend(unmapFails);
    AttributeManager m = region();
    DmaMappingListener l = DmaMappingListener.register(m, mapFails, MappingPolicy.GRANULE);

    mapFails.failOn(2, new Fault(Call.MAP, "IOMMU_IOAS_MAP", Errno.ENOMEM, Effect.NOTHING, "RLIMIT_MEMLOCK"), 0);
    unmapFails.failOn(1, new Fault(Call.UNMAP, "IOMMU_IOAS_UNMAP", Errno.EBUSY, Effect.NOTHING, "area busy"), 0);
    ConversionException e = assertThrows(ConversionException.class, () -> m.share(0, 4 * G));

    assertFalse(e.isConsistent(), "the failed compensation is attached: " + e);
    assertEquals(4 * G, e.keptPopulatedBytes(), "the run the listener could not release stays shared");
    assertEquals(BlockState.SHARED, m.stateAt(0));
    assertEquals(BlockState.SHARED, m.stateAt(3 * G));
    assertEquals(List.of(), MappingAuditor.audit(l), "state and mappings agree again");
    assertTrue(shadow.check(l).stream().noneMatch(p -> p.startsWith("STALE")),
        "no page is mapped while private: " + shadow.check(l));

    m.makePrivate(0, 4 * G);
    assertEquals(List.of(), MappingAuditor.audit(l));
    l.close();
    MappingAuditor.checkNothingMapped(raw);
    assertTrue(shadow.recorded().isEmpty());
    raw.close();
  }
  /**
   * The same two faults while a listener registers: the replay's map fails and the discard undoing the replay fails
   * too. The listener must not be dropped while it still maps blocks (nobody would unmap them, and the next private
   * conversion would leave them stale); the registration releases them before it throws.
   */
  @Test
  void aRefusedRegistrationWhoseUndoFailsLeavesNothingMapped() {
    DmaBackend raw = embeddedIommufd();
    ShadowIommu shadow = new ShadowIommu(raw);
    FailingDmaBackend unmapFails = new FailingDmaBackend(shadow);
    FailingDmaBackend mapFails = new FailingDmaBackend(unmapFails);
    AttributeManager m = region();
    m.share(0, 4 * G);

    mapFails.failOn(2, new Fault(Call.MAP, "IOMMU_IOAS_MAP", Errno.ENOMEM, Effect.NOTHING, "RLIMIT_MEMLOCK"), 0);
    unmapFails.failOn(1, new Fault(Call.UNMAP, "IOMMU_IOAS_UNMAP", Errno.EBUSY, Effect.NOTHING, "area busy"), 0);
    ConversionException e = assertThrows(ConversionException.class,
        () -> DmaMappingListener.register(m, mapFails, MappingPolicy.GRANULE));

    assertFalse(e.isConsistent(), "the failed undo is attached: " + e);
    assertEquals(0, m.listenerCount(), "the refused listener was released and unregistered");
    assertEquals(List.of(), shadow.recorded(), "nothing is left mapped by a listener nobody holds");
    m.makePrivate(0, 4 * G);
    assertEquals(List.of(), raw.mappingRuns(), "no page stays mapped once private");
    DmaMappingListener l = DmaMappingListener.register(m, mapFails, MappingPolicy.GRANULE);
    m.share(0, 2 * G);
    assertEquals(List.of(), MappingAuditor.audit(l), "a second registration works");
    l.close();
    MappingAuditor.checkNothingMapped(raw);
    raw.close();
  }

  /**
   * Three faults while a listener registers: the replay's map fails, the discard undoing it fails, and so does the
   * release that {@code register} attempts before it throws. The listener must stay registered (it still maps a
   * page), and the caller must be able to reach it: the exception names it, and closing it once the back-end
   * recovers leaves nothing mapped.
   */
  @Test
  void aListenerKeptByAThirdFaultIsNamedAndCanBeClosedLater() {
    DmaBackend raw = embeddedIommufd();
    ShadowIommu shadow = new ShadowIommu(raw);
    FailingDmaBackend releaseFails = new FailingDmaBackend(shadow);
    FailingDmaBackend undoFails = new FailingDmaBackend(releaseFails);
    FailingDmaBackend mapFails = new FailingDmaBackend(undoFails);
    AttributeManager m = region();
    m.share(0, 4 * G);

    Fault busy = new Fault(Call.UNMAP, "IOMMU_IOAS_UNMAP", Errno.EBUSY, Effect.NOTHING, "area busy");
    mapFails.failOn(2, new Fault(Call.MAP, "IOMMU_IOAS_MAP", Errno.ENOMEM, Effect.NOTHING, "RLIMIT_MEMLOCK"), 0);
    undoFails.failOn(1, busy, 0);
    releaseFails.failOn(1, busy, 0);
    ConversionException e = assertThrows(ConversionException.class,
        () -> DmaMappingListener.register(m, mapFails, MappingPolicy.GRANULE));

    assertFalse(e.isConsistent(), "the failed undo is attached: " + e);
    assertEquals(2, releaseFails.injected() + undoFails.injected(), "both unmaps failed");
    DmaMappingListener kept = (DmaMappingListener) e.listenerKept().orElseThrow(
        () -> new AssertionError("the exception must name the listener the manager kept: " + e));
    assertTrue(m.isRegistered(kept), "it still maps a page, so it stays registered");
    assertFalse(shadow.recorded().isEmpty(), "the page it could not release is still mapped");
    assertEquals(List.of(), MappingAuditor.audit(kept), "what it maps is populated");

    // The kept listener still follows the region: a private conversion unmaps its page, nothing turns stale.
    m.makePrivate(0, G);
    assertTrue(shadow.check(kept).stream().noneMatch(p -> p.startsWith("STALE")), "" + shadow.check(kept));
    kept.close();
    assertFalse(m.isRegistered(kept));
    MappingAuditor.checkNothingMapped(raw);
    assertEquals(List.of(), shadow.recorded());
    raw.close();
  }
}
