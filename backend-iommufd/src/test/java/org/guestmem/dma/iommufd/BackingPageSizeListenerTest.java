package org.guestmem.dma.iommufd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.DmaConfigurationException;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.junit.jupiter.api.Test;

/**
 * 4 KiB tracking of 2 MiB-backed memory: granule mapping always registers; coalesce needs the IOVA base to be a
 * multiple of the backing page size (the host side is aligned by the layout), so that a run aligned to a backing page
 * is aligned in IOVA too, and is refused at registration otherwise, with nothing mapped.
 */
class BackingPageSizeListenerTest {
  static final long K4 = 4096;
  static final long M2 = 2L << 20;
  static final long HOST = 0x7f00_0000_0000L;

  private static AttributeManager region(long iovaBase) {
    RegionLayout layout = new RegionLayout(8 * M2, K4, iovaBase, HOST).withBackingPageSize(M2);
    AttributeManager m = AttributeManager.builder().layout(layout).store(new ModelStoreProvider()).build();
    m.share(M2 - 2 * K4, M2 + 4 * K4); // a run crossing a backing-page boundary, unaligned at both ends
    return m;
  }

  private static DmaBackend cutCapable() {
    return new IommufdProvider().open(Map.of("kernel", "embedded", "cut", "true"));
  }

  @Test
  void coalesceOnAnIovaBaseNotAlignedToTheBackingPageIsRefusedAndMapsNothing() {
    try (DmaBackend b = cutCapable()) {
      AttributeManager m = region((1L << 32) + 16 * K4);
      DmaConfigurationException e = assertThrows(DmaConfigurationException.class,
          () -> DmaMappingListener.register(m, b, MappingPolicy.COALESCE));
      assertTrue(e.getMessage().contains("0x100010000") && e.getMessage().contains("0x200000")
          && e.getMessage().contains("granule"), e.getMessage());
      assertEquals(0, b.entries());
      assertEquals(0, m.listenerCount());
      // Granule maps 4 KiB entries only, which never need a large IOMMU page: the same layout is fine.
      DmaMappingListener g = DmaMappingListener.register(m, b, MappingPolicy.GRANULE);
      assertEquals((M2 + 4 * K4) / K4, g.entries());
      assertEquals(List.of(), MappingAuditor.audit(g));
      g.close();
    }
  }

  @Test
  void coalesceOnAnAlignedIovaBaseMapsRunsAndCutsAt4KibInsideABackingPage() {
    try (DmaBackend b = cutCapable()) {
      AttributeManager m = region(1L << 32);
      DmaMappingListener l = DmaMappingListener.register(m, b, MappingPolicy.COALESCE);
      assertEquals(1, l.entries(), "one mapping for the populated run");
      m.makePrivate(M2 + K4, K4); // a 4 KiB conversion inside the 2 MiB backing page: a cut
      assertEquals(2, l.entries());
      assertEquals(M2 + 3 * K4, l.mappedBytes());
      assertEquals(List.of(), MappingAuditor.audit(l));
      l.close();
      MappingAuditor.checkNothingMapped(b);
    }
  }
}
