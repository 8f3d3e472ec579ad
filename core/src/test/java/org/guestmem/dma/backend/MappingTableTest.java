package org.guestmem.dma.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.MappingRun;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/**
 * Unsigned IOVA bookkeeping in runs of uniform mappings (and what it costs, by JOL), option parsing, the kernel-path
 * choice and policy names.
 */
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
    assertEquals(m(-0x1000L, 0x1000), t.entryAt(-1L), "a mapping ending at the top of the space");
    assertFalse(t.entryContinuesAfter(-1L), "nothing continues past the top of the space");
    assertTrue(t.overlaps(high + 0x1fff, high + 0x1fff));
    assertFalse(t.overlaps(high + 0x2000, -0x1001L));
    assertThrows(IllegalStateException.class, () -> t.add(m(high + 0x1000, 0x1000)));
    assertEquals(3, t.entries());
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
    assertNull(t.entryAt(0x20000));
    assertEquals(List.of(m(0x10000, 0x4000), m(0x14000, 0xc000)), t.snapshot(), "the tail keeps vaddr = iova + k");
    assertEquals(0x10000, t.bytes());
    assertEquals(0, t.removeInside(0x12000, 0x15fff), "nothing wholly inside");
    assertEquals(0xc000, t.removeInside(0x14000, 0x1ffff));
    assertEquals(1, t.entries());
    assertEquals(0x4000, t.clear());
    assertTrue(t.isEmpty());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Runs

  private static MappingRun run(long iova, long entryLength, long count) {
    return new MappingRun(iova, 0x1000_0000L + iova, entryLength, count, true, true);
  }

  @Test
  void consecutiveUniformMappingsAreOneRecordInEitherOrder() {
    MappingTable t = new MappingTable();
    for (long k = 0; k < 8; k++) {
      t.add(m(0x10000 + k * 0x1000, 0x1000));
    }
    for (long k = 0; k < 8; k++) {
      t.add(m(0xf000 - k * 0x1000, 0x1000));
    }
    assertEquals(List.of(run(0x8000, 0x1000, 16)), t.runs());
    assertEquals(1, t.records());
    assertEquals(16, t.entries());
    assertEquals(0x10000, t.bytes());
    t.add(m(0x18000, 0x2000));
    t.add(new DmaMapping(0x1a000, 0x1000, 0x7777_0000L, true, true));
    t.add(new DmaMapping(0x1b000, 0x1000, 0x1001_b000L, true, false));
    assertEquals(4, t.records(), "another length, another host address and other permissions break the run");
    assertEquals(List.of(run(0x8000, 0x1000, 16), run(0x18000, 0x2000, 1),
        new MappingRun(0x1a000, 0x7777_0000L, 0x1000, 1, true, true),
        new MappingRun(0x1b000, 0x1001_b000L, 0x1000, 1, true, false)), t.runs());
  }

  @Test
  void aMappingFillingTheHoleBetweenTwoRunsJoinsThem() {
    MappingTable t = new MappingTable();
    t.addRun(0x10000, 0x1001_0000L, 0x1000, 4, true, true);
    t.addRun(0x15000, 0x1001_5000L, 0x1000, 4, true, true);
    assertEquals(2, t.records());
    t.add(m(0x14000, 0x1000));
    assertEquals(List.of(run(0x10000, 0x1000, 9)), t.runs());
  }

  @Test
  void everyEntryBoundaryInsideARunIsABoundary() {
    MappingTable t = new MappingTable();
    t.addRun(0x10000, 0x1001_0000L, 0x2000, 4, true, true);
    assertFalse(t.entryContinuesAfter(0x11fff), "between entries 0 and 1");
    assertTrue(t.entryContinuesAfter(0x12fff), "inside entry 1");
    assertFalse(t.entryContinuesAfter(0x17fff), "the last byte of the run");
    assertFalse(t.entryContinuesAfter(0x18000), "past the run");
    assertEquals(m(0x14000, 0x2000), t.entryAt(0x15abc));
    assertEquals(m(0x12000, 0x2000), t.firstEntryIn(0x12800, 0x30000));
    assertFalse(t.splitAfter(0x13fff), "an entry boundary: nothing to split");
    assertEquals(0x2000, t.removeInside(0x13000, 0x16fff), "only entry 2 lies wholly inside");
    assertEquals(List.of(run(0x10000, 0x2000, 2), run(0x16000, 0x2000, 1)), t.runs());
    assertEquals(3, t.entries());
    assertEquals(0, t.removeInsideUntilCut(0x11000, 0x17fff), "the walk meets the cut entry 0 first");
    assertEquals(0x2000, t.removeInsideUntilCut(0x12000, 0x16fff), "entry 1 goes, the walk stops at entry 3");
    assertEquals(List.of(run(0x10000, 0x2000, 1), run(0x16000, 0x2000, 1)), t.runs());
  }

  @Test
  void splittingARunAtItsFirstMiddleAndLastEntryLeavesTheOthersWhole() {
    MappingTable t = new MappingTable();
    t.addRun(0x10000, 0x1001_0000L, 0x4000, 8, true, true);
    assertTrue(t.splitAfter(0x10fff), "inside the first entry");
    assertTrue(t.splitAfter(0x1dfff), "in the middle of a middle entry");
    assertTrue(t.splitAfter(0x2efff), "inside the last entry");
    assertEquals(11, t.entries());
    assertEquals(0x20000, t.bytes());
    assertEquals(List.of(run(0x10000, 0x1000, 1), run(0x11000, 0x3000, 1), run(0x14000, 0x4000, 2),
        run(0x1c000, 0x2000, 2), run(0x20000, 0x4000, 3), run(0x2c000, 0x3000, 1), run(0x2f000, 0x1000, 1)),
        t.runs(), "the two halves of the middle entry are one run of two; the others keep their length");
    assertEquals(0x2000, t.removeInside(0x1e000, 0x1ffff));
    assertEquals(List.of(run(0x1c000, 0x2000, 1)), t.runs().subList(3, 4));
  }

  @Test
  void piecesOfACutJoinTheirNeighboursWhenTheyContinueThem() {
    MappingTable t = new MappingTable();
    t.add(m(0x10000, 0x1000));
    t.add(m(0x11000, 0x2000));
    assertTrue(t.splitAfter(0x11fff));
    assertEquals(List.of(run(0x10000, 0x1000, 3)), t.runs(), "three one-page mappings now");
  }

  @Test
  void gapsAreTheUnheldStretchesAndTheVisitorMayFillThem() {
    MappingTable t = new MappingTable();
    t.add(m(0x12000, 0x1000));
    t.add(m(0x13000, 0x2000)); // contiguous with the one before but another length: two records
    t.add(m(0x18000, 0x1000));
    List<long[]> gaps = new ArrayList<>();
    t.forEachGap(0x10000, 0x1afff, (first, last) -> {
      gaps.add(new long[] {first, last});
      t.add(m(first, last - first + 1));
    });
    assertEquals(List.of("10000-11fff", "15000-17fff", "19000-1afff"),
        gaps.stream().map(g -> Long.toHexString(g[0]) + "-" + Long.toHexString(g[1])).toList());
    assertEquals(0xb000, t.bytes());
    List<long[]> none = new ArrayList<>();
    t.forEachGap(0x10000, 0x1afff, (first, last) -> none.add(new long[] {first, last}));
    assertTrue(none.isEmpty());
    t.forEachGap(-0x2000L, -1L, (first, last) -> none.add(new long[] {first, last}));
    assertEquals(-0x2000L, none.get(0)[0]);
    assertEquals(-1L, none.get(0)[1], "a gap may end at the top of the space");
    assertEquals(0xb000, t.bytesIn(0, -1L));
    assertEquals(0x1800, t.bytesIn(0x11800, 0x12fff));
    assertEquals(0x12000, t.firstHeldIn(0x12000, 0x20000));
    assertEquals(0x1afff, t.lastHeldIn(0x12000, 0x20000));
  }

  @Test
  void badRunsAreRefusedNamingTheRule() {
    MappingTable t = new MappingTable();
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> t.addRun(0x1000, 0, 0, 1, true, true));
    assertTrue(zero.getMessage().contains("non-zero"), zero.getMessage());
    IllegalArgumentException wraps = assertThrows(IllegalArgumentException.class,
        () -> t.addRun(-0x2000L, 0, 0x1000, 3, true, true));
    assertTrue(wraps.getMessage().contains("must not wrap"), wraps.getMessage());
    t.addRun(-0x2000L, 0, 0x1000, 2, true, true);
    assertEquals(-1L, t.lastHeldIn(0, -1L), "two entries up to the top of the space fit");
  }

  @Test
  void manyRecordsSpanBlocksAndStayOrdered() {
    MappingTable t = new MappingTable();
    int n = 5 * MappingTable.BLOCK_RECORDS + 7;
    for (int k = n - 1; k >= 0; k--) { // descending: every record goes to the front
      t.add(m(0x100000L + k * 0x2000L, 0x1000));
    }
    assertEquals(n, t.records());
    int fills = 0;
    int joins = 0;
    for (int k = 0; k < n; k++) { // every third hole, ascending: each joins the records around it
      if (k % 3 == 0) {
        t.add(m(0x101000L + k * 0x2000L, 0x1000));
        fills++;
        joins += k + 1 < n ? 1 : 0;
      }
    }
    List<MappingRun> runs = t.runs();
    assertEquals(n - joins, runs.size());
    assertEquals(n + fills, t.entries());
    for (int i = 1; i < runs.size(); i++) {
      assertTrue(Long.compareUnsigned(runs.get(i - 1).last(), runs.get(i).iova()) < 0, "ascending at " + i);
    }
    assertEquals(t.bytes(), t.removeInside(0, -1L));
    assertEquals(0, t.records());
  }

  /** The table against a per-page reference under random adds, cuts and removals. */
  @Test
  void randomOperationsAgreeWithAPerPageReference() {
    for (long seed = 1; seed <= 6; seed++) {
      randomRun(seed);
    }
  }

  private static void randomRun(long seed) {
    final int pages = 1200; // up to 600 records: more than two blocks
    final long page = 0x1000;
    SplittableRandom rnd = new SplittableRandom(seed);
    MappingTable t = new MappingTable();
    long[] start = new long[pages]; // per page: the first page of its entry, or -1
    long[] length = new long[pages]; // per first page: the entry's length in pages
    java.util.Arrays.fill(start, -1);
    for (int op = 0; op < 2_500; op++) {
      int kind = rnd.nextInt(4);
      int first = rnd.nextInt(pages);
      int count = 1 + rnd.nextInt(Math.min(pages - first, 1 + rnd.nextInt(40)));
      String what = "seed " + seed + " op " + op + " kind " + kind + " pages [" + first + ", " + (first + count) + ")";
      long lo = first * page;
      long hi = (first + count) * page - 1;
      if (kind <= 1) {
        boolean free = true;
        for (int p = first; p < first + count; p++) {
          free &= start[p] < 0;
        }
        assertEquals(!free, t.overlaps(lo, hi), what);
        if (free) {
          int each = kind == 0 ? 1 : 1 + rnd.nextInt(3); // runs of one-page or of multi-page mappings
          for (int p = first; p + each <= first + count; p += each) {
            t.add(m(p * page, each * page));
            for (int q = p; q < p + each; q++) {
              start[q] = p;
            }
            length[p] = each;
          }
        }
      } else if (kind == 2) {
        boolean cut = start[first] >= 0 && start[first] != first;
        assertEquals(cut, t.entryContinuesAfter(lo - 1), what);
        assertEquals(cut, t.splitAfter(lo - 1), what);
        if (cut) {
          int head = (int) start[first];
          long end = head + length[head];
          length[head] = first - head;
          length[first] = end - first;
          for (int q = first; q < end; q++) {
            start[q] = first;
          }
        }
      } else {
        long held = 0;
        for (int p = first; p < first + count; p++) {
          held += start[p] >= 0 ? page : 0;
        }
        assertEquals(held, t.bytesIn(lo, hi), what + ": bytes held");
        boolean walkStops = start[first] >= 0 && start[first] != first;
        boolean untilCut = rnd.nextBoolean();
        long expected = 0;
        for (int p = first; p < first + count && !(untilCut && walkStops); p++) {
          if (start[p] == p && p + length[p] <= first + count) {
            expected += length[p] * page;
            for (int q = p; q < p + length[p]; q++) {
              start[q] = -1;
            }
          }
        }
        assertEquals(expected, untilCut ? t.removeInsideUntilCut(lo, hi) : t.removeInside(lo, hi), what);
      }
      List<DmaMapping> want = new ArrayList<>();
      for (int p = 0; p < pages; p++) {
        if (start[p] == p) {
          want.add(m(p * page, length[p] * page));
        }
      }
      assertEquals(want, t.snapshot(), what);
      assertEquals(want.size(), t.entries(), what);
      assertEquals(MappingRun.maximal(want.stream().map(MappingRun::of).toList()), t.runs(), what + ": maximal");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Memory (JOL)

  @Test
  void aMillionGranuleMappingsInOneRunCostWhatOneMappingCosts() {
    MappingTable one = new MappingTable();
    one.add(m(0x1_0000_0000L, 0x1000));
    MappingTable million = new MappingTable();
    for (long k = 0; k < 1_000_000; k++) {
      million.add(m(0x1_0000_0000L + k * 0x1000, 0x1000));
    }
    assertEquals(1_000_000, million.entries());
    assertEquals(1, million.records());
    long oneBytes = GraphLayout.parseInstance(one).totalSize();
    long millionBytes = GraphLayout.parseInstance(million).totalSize();
    System.out.printf("MappingTable JOL: one mapping %d B, 10^6 granule mappings in one run %d B%n", oneBytes,
        millionBytes);
    assertTrue(Math.abs(millionBytes - oneBytes) <= 64, oneBytes + " B vs " + millionBytes + " B");
  }

  @Test
  void manyRecordsCostAtMost64BytesEach() {
    int n = 100_000;
    MappingTable ascending = new MappingTable();
    for (long k = 0; k < n; k++) {
      ascending.add(m(k * 0x2000, 0x1000)); // a hole after each: one record each
    }
    MappingTable shuffled = new MappingTable();
    long seed = 42;
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] order = new long[n];
    for (int k = 0; k < n; k++) {
      order[k] = k;
    }
    for (int k = n - 1; k > 0; k--) {
      int j = rnd.nextInt(k + 1);
      long x = order[k];
      order[k] = order[j];
      order[j] = x;
    }
    for (long k : order) {
      shuffled.add(m(k * 0x2000, 0x1000));
    }
    for (MappingTable t : List.of(ascending, shuffled)) {
      assertEquals(n, t.records());
      long bytes = GraphLayout.parseInstance(t).totalSize();
      double perRecord = (double) bytes / n;
      System.out.printf("MappingTable JOL: %d records %s, %d B, %.1f B per record%n", n,
          t == ascending ? "added in order" : "added in random order (seed " + seed + ")", bytes, perRecord);
      assertTrue(perRecord <= 64, perRecord + " B per record (seed " + seed + ")");
    }
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
