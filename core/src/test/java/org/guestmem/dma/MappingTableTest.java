package org.guestmem.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.guestmem.spi.DmaMapping;
import org.junit.jupiter.api.Test;

/** Unsigned IOVA bookkeeping, option parsing, the kernel-path choice and policy names. */
class MappingTableTest {

  private static DmaMapping m(long iova, long length) {
    return new DmaMapping(iova, length, 0x1000_0000L + iova, true, true);
  }

  @Test
  void iovasAboveTwoToThe63AreOrderedUnsigned() {
    MappingTable t = new MappingTable();
    long high = 0x8000_0000_0000_0000L;
    t.add(m(high, 0x2000));
    t.add(m(0x1000, 0x1000));
    t.add(m(-0x1000L, 0x1000));
    assertEquals(List.of(m(0x1000, 0x1000), m(high, 0x2000), m(-0x1000L, 0x1000)), t.snapshot());
    assertEquals(m(-0x1000L, 0x1000), t.containing(-1L), "a mapping ending at the top of the space");
    assertTrue(t.overlaps(high + 0x1fff, high + 0x1fff));
    assertFalse(t.overlaps(high + 0x2000, -0x1001L));
    assertThrows(IllegalStateException.class, () -> t.add(m(high + 0x1000, 0x1000)));
  }

  @Test
  void removeInsideUntilCutStopsAtTheFirstMappingTheRangeCuts() {
    MappingTable t = new MappingTable();
    t.add(m(0x10000, 0x1000));
    t.add(m(0x11000, 0x1000));
    t.add(m(0x12000, 0x2000));
    t.add(m(0x15000, 0x1000));
    assertEquals(0x2000, t.removeInsideUntilCut(0x10000, 0x12fff), "the third mapping is cut: it and all after stay");
    assertEquals(List.of(m(0x12000, 0x2000), m(0x15000, 0x1000)), t.snapshot());
    assertEquals(0, t.removeInsideUntilCut(0x13000, 0x15fff), "the first mapping met starts before the range");
    assertEquals(0x3000, t.removeInsideUntilCut(0x12000, 0x15fff));
    assertTrue(t.isEmpty());
  }

  @Test
  void splitAndRemoveInsideKeepTranslationsAndBytes() {
    MappingTable t = new MappingTable();
    t.add(m(0x10000, 0x10000));
    assertTrue(t.splitAfter(0x13fff));
    assertFalse(t.splitAfter(0x13fff), "already a boundary");
    assertNull(t.containing(0x20000));
    assertEquals(List.of(m(0x10000, 0x4000), m(0x14000, 0xc000)), t.snapshot(), "the tail keeps vaddr = iova + k");
    assertEquals(0x10000, t.bytes());
    assertEquals(0, t.removeInside(0x12000, 0x15fff), "nothing wholly inside");
    assertEquals(0xc000, t.removeInside(0x14000, 0x1ffff));
    assertEquals(1, t.size());
    assertEquals(0x4000, t.clear());
    assertTrue(t.isEmpty());
  }

  @Test
  void optionsRejectUnknownKeysAndBadValues() {
    DmaOptions o = DmaOptions.parse("p", Map.of("kernel", "embedded", "limit", "64K", "flag", "on"),
        java.util.Set.of("limit", "flag"));
    assertEquals(DmaOptions.KernelPath.EMBEDDED, o.kernel());
    assertEquals(65_536, o.size("limit", 0));
    assertTrue(o.bool("flag", false));
    assertEquals(7, o.size("absent", 7));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DmaOptions.parse("p", Map.of("limt", "1"), java.util.Set.of("limit")));
    assertTrue(e.getMessage().contains("unknown p option [limt]") && e.getMessage().contains("[kernel, limit]"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> DmaOptions.parse("p", Map.of("kernel", "fake"), java.util.Set.of()));
    assertThrows(IllegalArgumentException.class,
        () -> DmaOptions.parse("p", Map.of("flag", "perhaps"), java.util.Set.of("flag")).bool("flag", false));
  }

  @Test
  void kernelChoiceTakesTheRealKernelOnlyWhereItsNodesAre() {
    DmaOptions.KernelChoice auto = DmaOptions.parse("p", Map.of(), java.util.Set.of())
        .chooseKernel("/dev/x does not exist", "/dev/x absent");
    assertEquals(new DmaOptions.KernelChoice(false, "kernel=auto: /dev/x absent"), auto);
    assertEquals(new DmaOptions.KernelChoice(true, "kernel=auto: /dev/x present"),
        DmaOptions.parse("p", Map.of("kernel", "auto"), java.util.Set.of()).chooseKernel(null, "/dev/x present"));
    assertEquals(new DmaOptions.KernelChoice(false, "kernel=embedded"),
        DmaOptions.parse("p", Map.of("kernel", "embedded"), java.util.Set.of()).chooseKernel(null, "/dev/x present"));
    DmaOptions real = DmaOptions.parse("p", Map.of("kernel", "real"), java.util.Set.of());
    assertEquals(new DmaOptions.KernelChoice(true, "kernel=real"), real.chooseKernel(null, "/dev/x present"));
    assertEquals("p kernel=real: /dev/x does not exist", assertThrows(IllegalArgumentException.class,
        () -> real.chooseKernel("/dev/x does not exist", "/dev/x absent")).getMessage());
  }

  @Test
  void policyNames() {
    assertEquals(MappingPolicy.COALESCE, MappingPolicy.parse(" Coalesce "));
    assertEquals("granule", MappingPolicy.GRANULE.configName());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MappingPolicy.parse("merge")).getMessage()
        .contains("'merge' must be one of granule, coalesce"));
  }
}
