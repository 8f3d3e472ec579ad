package org.guestmem.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import org.guestmem.spi.Sizes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.guestmem.region.AttributeManager;
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
    GuestmemConfig c = GuestmemConfig.builder().apply(p, true).build();
    assertEquals("test-model", c.store());
    assertEquals("coalesce", c.mapping());
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
  void badValuesNameTheValueAndTheRule() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().granularity(3000).build()).getMessage().contains("3000"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().granularity(2048).build()).getMessage().contains("at least 4096"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> GuestmemConfig.builder().mapping("huge").build()).getMessage().contains("'huge'"));
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
