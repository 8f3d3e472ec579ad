package org.guestmem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.guestmem.dma.DmaConfigurationException;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.Sizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @Test
  void discoveryFindsRegisteredProvidersByName() {
    assertTrue(Providers.stateStores().containsKey("test-model"));
    assertEquals("test-model", Providers.stateStore("test-model").name());
  }

  @Test
  void unknownNameListsTheNamesFound() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Providers.stateStore("no-such-store"));
    assertTrue(e.getMessage().contains("'no-such-store'"), e.getMessage());
    assertTrue(e.getMessage().contains("test-model"), e.getMessage());
    IllegalArgumentException d =
        assertThrows(IllegalArgumentException.class, () -> Providers.dmaBackend("nope"));
    assertTrue(d.getMessage().contains("'nope'"), d.getMessage());
  }

  @Test
  void builderAndPropertiesSelectProvidersAndPolicies() {
    Properties p = new Properties();
    p.setProperty(GuestmemConfig.STORE, "test-model");
    p.setProperty(GuestmemConfig.MAPPING, "coalesce");
    p.setProperty(GuestmemConfig.GRANULARITY, "2M");
    p.setProperty("unrelated.key", "x");
    GuestmemConfig c = GuestmemConfig.builder().apply(p).build();
    assertEquals("test-model", c.store());
    assertEquals(MappingPolicy.COALESCE, c.mapping());
    assertEquals(2L << 20, c.granularity());
    AttributeManager m = c.newManager(64L << 20, 0, 0);
    assertEquals("test-model", m.storeName());
    assertEquals(32, m.layout().blocks());
  }

  @Test
  void fileOverridesDefaultsAndRejectsUnknownKeys(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.properties");
    Files.writeString(good, "guestmem.store=test-model\nguestmem.dma.kernel=embedded\n");
    GuestmemConfig c = GuestmemConfig.load(good);
    assertEquals("test-model", c.store());
    assertEquals("embedded", c.dmaKernel());
    Path bad = dir.resolve("bad.properties");
    Files.writeString(bad, "guestmem.stor=bitmap\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GuestmemConfig.load(bad));
    assertTrue(e.getMessage().contains("guestmem.stor"), e.getMessage());
  }

  @Test
  void systemPropertiesAreRefusedLikeFileKeysNamingTheKeyAndTheKnownOnes(@TempDir Path dir) throws IOException {
    Path good = dir.resolve("good.properties");
    Files.writeString(good, "guestmem.store=test-model\n");
    String typo = "guestmem.mappign";
    System.setProperty(typo, "coalesce");
    try {
      for (var call : java.util.List.<org.junit.jupiter.api.function.Executable>of(
          GuestmemConfig::fromSystemProperties, () -> GuestmemConfig.load(good))) {
        String m = assertThrows(IllegalArgumentException.class, call).getMessage();
        assertTrue(m.contains("'" + typo + "'") && m.contains("system properties"), m);
        for (String known : new String[] {GuestmemConfig.STORE, GuestmemConfig.DMA, GuestmemConfig.DMA_KERNEL,
            GuestmemConfig.MAPPING, GuestmemConfig.ENTRY_LIMIT, GuestmemConfig.GRANULARITY, "guestmem.dma.option."}) {
          assertTrue(m.contains(known), "lists " + known + ": " + m);
        }
      }
    } finally {
      System.clearProperty(typo);
    }
    // The test suites' knobs are not configuration.
    System.setProperty("guestmem.test.anything", "1");
    try {
      assertEquals("test-model", GuestmemConfig.load(good).store());
    } finally {
      System.clearProperty("guestmem.test.anything");
    }
  }

  @Test
  void aRefusedSourceChangesNothing() {
    Properties p = new Properties();
    p.setProperty(GuestmemConfig.STORE, "test-model");
    p.setProperty(GuestmemConfig.DMA_OPTION_PREFIX + "flavour", "x");
    p.setProperty("guestmem.granulartiy", "2M");
    GuestmemConfig.Builder b = GuestmemConfig.builder();
    assertThrows(IllegalArgumentException.class, () -> b.apply(p, "p.properties"));
    assertEquals(GuestmemConfig.defaults(), b.build());
  }

  @Test
  void theConfigurationOpensTheBackEndWithItsOptionsAndRegistersTheListenerWithItsPolicies() {
    Properties p = new Properties();
    p.setProperty(GuestmemConfig.STORE, "test-model");
    p.setProperty(GuestmemConfig.DMA, TestDmaProvider.NAME);
    p.setProperty(GuestmemConfig.DMA_KERNEL, "embedded");
    p.setProperty(GuestmemConfig.DMA_OPTION_PREFIX + "flavour", " x ");
    p.setProperty(GuestmemConfig.ENTRY_LIMIT, "strict");
    GuestmemConfig c = GuestmemConfig.builder().apply(p, "p.properties").build();
    assertEquals(Map.of("flavour", "x"), c.dmaOptions());
    assertEquals(Map.of("flavour", "x", "kernel", "embedded"), c.dmaOpenOptions());
    assertEquals(EntryLimitPolicy.STRICT, c.entryLimit());

    AttributeManager m = c.newManager(64 * 4096, 1L << 32, 0x7000_0000_0000L);
    m.share(0, 3 * 4096);
    try (DmaBackend b = c.openDma()) {
      String d = b.capabilities().description();
      assertTrue(d.contains("flavour=x") && d.contains("kernel=embedded"), d);
      DmaMappingListener l = c.registerDma(m, b);
      assertEquals(MappingPolicy.GRANULE, l.policy());
      assertEquals(EntryLimitPolicy.STRICT, l.entryLimitPolicy());
      assertEquals(3, b.entries(), "granule: one mapping per populated granule");
      m.makePrivate(0, 4096);
      assertEquals(2, b.entries());
      l.close();
      assertEquals(0, b.entries());
    }
    // The mapping policy is passed on: coalesce needs a back-end that can cut, which this one cannot.
    GuestmemConfig coalesce = GuestmemConfig.builder().apply(p, "p.properties").mapping(MappingPolicy.COALESCE)
        .build();
    try (DmaBackend b = coalesce.openDma()) {
      String why = assertThrows(DmaConfigurationException.class, () -> coalesce.registerDma(m, b)).getMessage();
      assertTrue(why.contains("cannot cut"), why);
      assertEquals(0, b.entries());
    }
  }

  @Test
  void theBackEndRefusesAnOptionItDoesNotKnowWhenOpened() {
    GuestmemConfig c = GuestmemConfig.builder().dma(TestDmaProvider.NAME).dmaOption("flavor", "x").build();
    String m = assertThrows(IllegalArgumentException.class, c::openDma).getMessage();
    assertTrue(m.contains("flavor") && m.contains("flavour"), m);
    assertFalse(c.dmaOptions().containsKey("kernel"));
    String k = assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().dmaOption("kernel", "real").build()).getMessage();
    assertTrue(k.contains("guestmem.dma.kernel"), k);
  }

  @Test
  void badValuesNameTheValueAndTheRule() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().granularity(3000).build()).getMessage().contains("3000"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().granularity(2048).build()).getMessage().contains("at least 4096"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().mapping("huge").build()).getMessage().contains("'huge'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().entryLimit("lenient").build()).getMessage().contains("'lenient'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().dmaKernel("maybe").build()).getMessage().contains("'maybe'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Sizes.parse("12Q")).getMessage().contains("12Q"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Sizes.parse("99999999T")).getMessage().contains("63 bits"));
  }

  @Test
  void sizesParseWithBinaryUnits() {
    assertEquals(4096, Sizes.parse("4K"));
    assertEquals(1L << 40, Sizes.parse("1T"));
    assertEquals(16L << 40, Sizes.parse("16t"));
    assertEquals(0x1000, Sizes.parse("0x1000"));
    assertEquals(123, Sizes.parse("123"));
  }
}
