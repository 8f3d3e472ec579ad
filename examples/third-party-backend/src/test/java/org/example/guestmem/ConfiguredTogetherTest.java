package org.example.guestmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.example.guestmem.dma.LoggingDmaProvider;
import org.example.guestmem.store.TreeMapStoreProvider;
import org.guestmem.config.GuestmemConfig;
import org.guestmem.config.Providers;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.spi.DmaBackend;
import org.junit.jupiter.api.Test;

/**
 * The providers as a user meets them: found by {@code ServiceLoader} next to guestmem's own, and opened by name from
 * configuration, this project's DMA back-end under guestmem's interval-tree store and this project's store alike.
 */
class ConfiguredTogetherTest {
  private static final long G = 4096;

  @Test
  void serviceLoaderFindsThisProjectsProvidersNextToGuestmems() {
    assertTrue(Providers.stateStores().keySet().containsAll(java.util.List.of(TreeMapStoreProvider.NAME,
        "intervaltree")), Providers.stateStores().keySet().toString());
    assertTrue(Providers.dmaBackends().containsKey(LoggingDmaProvider.NAME), Providers.dmaBackends().toString());
  }

  @Test
  void configurationOpensTheLoggingBackEndAndTheListenerFollowsConversions() {
    for (String store : new String[] {"intervaltree", TreeMapStoreProvider.NAME}) {
      Properties p = new Properties();
      p.setProperty("guestmem.store", store);
      p.setProperty("guestmem.dma", LoggingDmaProvider.NAME);
      p.setProperty("guestmem.dma.option.log", "none");
      p.setProperty("guestmem.mapping", "coalesce");
      GuestmemConfig config = GuestmemConfig.builder().apply(p, "test properties").build();

      AttributeManager manager = config.newManager(1024 * G, 1L << 32, 0x7f00_0000_0000L);
      assertEquals(store, manager.storeName());
      try (DmaBackend backend = config.openDma()) {
        DmaMappingListener listener = config.registerDma(manager, backend);
        assertEquals(MappingPolicy.COALESCE, listener.policy());
        manager.share(0, 256 * G);
        manager.share(512 * G, 64 * G);
        assertEquals(2, backend.entries(), store + ": coalesce maps one entry per shared run");
        manager.makePrivate(128 * G, 16 * G);
        assertEquals(3, backend.entries(), store + ": the discard cut the first mapping in two");
        assertTrue(MappingAuditor.audit(listener).isEmpty(), MappingAuditor.audit(listener).toString());
        listener.close();
        assertEquals(0, backend.entries());
      }
    }
  }
}
