package org.guestmem.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The backing page size and backing file of a layout: independent of the granularity, with their rules checked. */
class RegionLayoutTest {
  static final long K4 = 4096;
  static final long M2 = 2L << 20;

  @Test
  void fourKibTrackingOfTwoMibBackedMemoryIsValid() {
    RegionLayout l = new RegionLayout(64 * M2, K4, 1L << 32, 0x7f00_0000_0000L).withBackingPageSize(M2);
    assertEquals(K4, l.granularity());
    assertEquals(M2, l.backingPageSize());
    assertEquals(64 * M2 / K4, l.blocks(), "tracked in 4 KiB blocks whatever the backing");
    assertNull(l.backingFile());
    assertEquals(K4, new RegionLayout(M2, K4, 0, 0).backingPageSize(), "4 KiB unless said otherwise");
    RegionLayout f = l.withBackingFile(7, 4 * M2);
    assertEquals(new BackingFile(7, 4 * M2), f.backingFile());
    assertEquals(M2, f.backingPageSize(), "a backing file keeps the page size");
  }

  @Test
  void backingRulesAreCheckedWithMessagesNamingTheValue() {
    RegionLayout l = new RegionLayout(64 * M2, K4, 1L << 32, 0x7f00_0000_0000L);
    assertRefused(() -> l.withBackingPageSize(3 * K4), "0x3000", "power of two");
    assertRefused(() -> l.withBackingPageSize(2048), "2048", "at least 4096");
    assertRefused(() -> new RegionLayout(M2 + K4, K4, 0, 0).withBackingPageSize(M2), "0x201000",
        "multiples of the backing page size 0x200000");
    assertRefused(() -> new RegionLayout(M2, K4, 0, 0x7f00_0000_1000L).withBackingPageSize(M2), "0x7f0000001000",
        "multiples of the backing page size");
    assertRefused(() -> l.withBackingPageSize(M2).withBackingFile(3, K4), "0x1000", "multiple of the backing page");
    assertRefused(() -> l.withBackingFile(-1, 0), "-1", "must not be negative");
    assertRefused(() -> l.withBackingFile(3, 100), "100", "multiple of 4096");
  }

  private static void assertRefused(Runnable r, String value, String rule) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(value) && e.getMessage().contains(rule), e.getMessage());
  }
}
