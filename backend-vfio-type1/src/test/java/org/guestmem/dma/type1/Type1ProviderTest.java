package org.guestmem.dma.type1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.guestmem.config.Providers;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.DmaConfigurationException;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.junit.jupiter.api.Test;

/** Options, kernel-path choice, the embedded model's limits, and the default-limit preflight of the listener. */
class Type1ProviderTest {
  static final long G = 4096;
  static final long GIB = 1L << 30;

  private static DmaBackend embedded(Map<String, String> extra) {
    java.util.HashMap<String, String> o = new java.util.HashMap<>(extra);
    o.put("kernel", "embedded");
    return new Type1Provider().open(o);
  }

  @Test
  void foundByServiceLoaderUnderItsName() {
    assertTrue(Providers.dmaBackends().get("vfio-type1") instanceof Type1Provider);
  }

  @Test
  void unknownOptionsAndBadValuesAreRejectedNamingThem() {
    Type1Provider p = new Type1Provider();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.open(Map.of("kernel", "embedded", "dma-entry-limt", "5", "colour", "red")));
    assertTrue(e.getMessage().contains("[colour, dma-entry-limt]") && e.getMessage().contains("dma-entry-limit"),
        e.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> p.open(Map.of("kernel", "maybe")))
        .getMessage().contains("kernel='maybe' must be one of auto, real, embedded"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> p.open(Map.of("kernel", "embedded", "dma-entry-limit", "lots"))).getMessage()
        .contains("dma-entry-limit='lots'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> p.open(Map.of("kernel", "embedded", "dma-entry-limit", "5000000000"))).getMessage()
        .contains("unsigned 32-bit"));
  }

  @Test
  void autoSaysWhichKernelPathItTookAndWhy() {
    assumeFalse(Files.exists(Path.of("/dev/vfio/vfio")), "this machine has /dev/vfio/vfio");
    try (DmaBackend b = new Type1Provider().open(Map.of())) {
      DmaCapabilities c = b.capabilities();
      assertFalse(c.realKernel());
      assertTrue(c.description().contains("embedded") && c.description().contains("/dev/vfio/vfio absent"),
          c.description());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Type1Provider().open(Map.of("kernel", "real")));
    assertTrue(e.getMessage().contains("/dev/vfio/vfio does not exist"), e.getMessage());
  }

  @Test
  void theEntryLimitIsTheModuleParameterAtSetUp() {
    try (DmaBackend b = embedded(Map.of("dma-entry-limit", "3"))) {
      assertEquals(3, b.capabilities().remainingEntries());
      for (int i = 0; i < 3; i++) {
        b.map(0x1000_0000L + i * G, G, 0x7000_0000L, true, true);
      }
      assertEquals(0, b.capabilities().remainingEntries());
      DmaException e = assertThrows(DmaException.class, () -> b.map(0x2000_0000L, G, 0x7000_0000L, true, true));
      assertEquals(Errno.ENOSPC.number(), e.errno());
      assertTrue(e.getMessage().contains("vfio_iommu_type1.dma_entry_limit"), e.getMessage());
      assertEquals(96 * 3, b.kernelBytesEstimate());
    }
    try (DmaBackend b = embedded(Map.of())) {
      assertEquals(65_535, b.capabilities().remainingEntries(), "the kernel's default, U16_MAX");
    }
  }

  @Test
  void pinningCountsEveryMappingAgainstTheMemlockLimit() {
    try (DmaBackend b = embedded(Map.of("memlock", "16K"))) {
      b.map(0x1000_0000L, 2 * G, 0x7000_0000L, true, true);
      b.map(0x1001_0000L, 2 * G, 0x7000_0000L, true, true);
      assertEquals(4 * G, b.pinnedBytes(), "the same memory mapped twice is counted twice");
      DmaException e = assertThrows(DmaException.class, () -> b.map(0x1002_0000L, G, 0x7000_0000L, true, true));
      assertEquals(Errno.ENOMEM.number(), e.errno());
      assertTrue(e.getMessage().contains("RLIMIT_MEMLOCK"), e.getMessage());
      assertEquals(2, b.entries(), "a refused map maps nothing");
      b.unmap(0x1000_0000L, 2 * G);
      b.map(0x1002_0000L, G, 0x7000_0000L, true, true);
      assertEquals(3 * G, b.pinnedBytes());
    }
    try (DmaBackend b = embedded(Map.of("memlock", "4K", "lock-cap", "true"))) {
      b.map(0x1000_0000L, 4 * G, 0x7000_0000L, true, true);
      assertEquals(4 * G, b.pinnedBytes(), "CAP_IPC_LOCK ignores the limit but pins are still counted");
    }
  }

  private static AttributeManager region(long size, long iovaBase) {
    return AttributeManager.builder().layout(new RegionLayout(size, G, iovaBase, 0x7f00_0000_0000L))
        .store(new ModelStoreProvider()).build();
  }

  @Test
  void theDefaultLimitRefusesAListenerThatCouldNeedMoreEntriesAtRegistration() {
    try (DmaBackend b = embedded(Map.of())) {
      AttributeManager m = region(64 * GIB, 4 * GIB);
      m.share(0, 2 << 20);
      DmaConfigurationException e = assertThrows(DmaConfigurationException.class,
          () -> DmaMappingListener.register(m, b, MappingPolicy.GRANULE, EntryLimitPolicy.STRICT));
      System.out.println("type1, default limit, 64 GiB region, granule: " + e.getMessage());
      assertTrue(e.getMessage().contains("may need 16777216 DMA entries"), e.getMessage());
      assertTrue(e.getMessage().contains("65535 left"), e.getMessage());
      assertTrue(e.getMessage().contains("vfio_iommu_type1.dma_entry_limit"), e.getMessage());
      assertEquals(0, m.listenerCount());
      assertEquals(0, b.entries(), "refused before anything was mapped");

      // The boundary: 65,535 granules fit, 65,536 do not.
      AttributeManager fits = region(65_535 * G, 4 * GIB);
      fits.share(0, 65_535 * G);
      DmaMappingListener l = DmaMappingListener.register(fits, b, MappingPolicy.GRANULE);
      assertEquals(65_535, b.entries());
      assertEquals(0, b.capabilities().remainingEntries());
      MappingAuditor.check(l);
      l.close();
      MappingAuditor.checkNothingMapped(b);
      DmaConfigurationException over = assertThrows(DmaConfigurationException.class,
          () -> DmaMappingListener.register(region(65_536 * G, 4 * GIB), b, MappingPolicy.GRANULE,
              EntryLimitPolicy.STRICT));
      assertTrue(over.getMessage().contains("may need 65536 DMA entries"), over.getMessage());
    }
  }

  @Test
  void coalesceOnType1IsAConfigurationErrorSayingWhy() {
    try (DmaBackend b = embedded(Map.of())) {
      DmaConfigurationException e = assertThrows(DmaConfigurationException.class,
          () -> DmaMappingListener.register(region(64 * G, 4 * GIB), b, MappingPolicy.COALESCE));
      assertTrue(e.getMessage().contains("type1v2 forbids bisecting unmaps"), e.getMessage());
    }
  }
}
