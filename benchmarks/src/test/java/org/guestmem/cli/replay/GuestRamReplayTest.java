package org.guestmem.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.guestmem.region.RamLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays of a guest with RAM below and above the 4 GiB hole ([0, 2 GiB) and [4 GiB, 8 GiB)): one region per range
 * behind a guest memory map, one DMA back-end for both, the mapping invariant checked after every operation.
 */
class GuestRamReplayTest {
  static final long G = 1L << 30;
  static final long P = 4096;
  static final RamLayout HOLE = RamLayout.parse("0:2G,4G:4G");

  @TempDir
  Path dir;

  static RunConfig traceRun(Path trace, long size, String dma, String mapping, Map<String, String> options) {
    return new RunConfig(null, trace, OptionalLong.empty(), true, size, P, 0, 0, null, "intervaltree", dma,
        "embedded", mapping, "on-demand", true, 0, options);
  }

  /** A QEMU-like log: conversion events by guest-physical address, each followed by its state change. */
  Path holeTrace(long seed, int conversions, String header) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    StringBuilder t = new StringBuilder(header);
    for (int i = 0; i < conversions; i++) {
      RamLayout.Range r = HOLE.ranges().get(rnd.nextInt(2));
      long pages = 1 + rnd.nextInt(rnd.nextInt(8) == 0 ? 512 : 16);
      long gpa = r.guestPhysical() + rnd.nextLong(r.size() / P - pages) * P;
      boolean shared = rnd.nextInt(5) < 3;
      t.append(String.format("4242@1700000000.%06d:kvm_convert_memory start 0x%x size 0x%x %s%n", i, gpa, pages * P,
          shared ? "private_to_shared" : "shared_to_private"));
      t.append(String.format("4242@1700000000.%06d:ram_block_attributes_state_change offset 0x%x size 0x%x from "
          + "'%s' to '%s'%n", i, HOLE.ramOffsetOf(gpa, pages * P), pages * P, shared ? "discarded" : "populated",
          shared ? "populated" : "discarded"));
    }
    Path file = dir.resolve("hole-" + seed + ".trace");
    Files.writeString(file, t);
    return file;
  }

  @Test
  void aTraceWithARamHeaderReplaysAcrossTheHoleOnEveryBackEnd() throws IOException {
    Path trace = holeTrace(0x484f4c45L, 400, "# guestmem-trace ram=0:2G,4G:4G granularity=0x1000\n");
    for (String dma : List.of("none", "iommufd", "vfio-type1")) {
      // type1 cannot cut a mapping, so it maps per granule only
      for (String mapping : dma.equals("vfio-type1") ? List.of("granule") : List.of("granule", "coalesce")) {
        Map<String, String> options = dma.equals("vfio-type1") ? Map.of("dma-entry-limit", "1000000") : Map.of();
        List<long[]> low = new ArrayList<>();
        RunSummary s = ReplayRunner.run(traceRun(trace, 6 * G, dma, mapping, options), ReplayRunner.Progress.NONE,
            (first, path) -> first.replayPopulated(0, first.layout().size(), (off, len) -> {
              low.add(new long[] {off, len});
              return 0;
            }));
        String where = dma + "/" + mapping;
        assertEquals(HOLE, s.config().ram(), where + ": the header's layout is the run's");
        assertEquals(400, s.operations(), where + ": each state change pairs with its conversion");
        assertEquals(401, s.verifiedSteps(), where);
        assertEquals(0, s.refusedConversions(), where);
        assertTrue(!low.isEmpty() && s.sharedBytes() > low.stream().mapToLong(r -> r[1]).sum(),
            where + ": both sides of the hole hold shared memory");
      }
    }
  }

  @Test
  void aWorkloadRunsInRamOffsetsAcrossBothRegions() {
    RunConfig c = new RunConfig("dynamic-dma", null, OptionalLong.empty(), false, 6 * G, P, 7, 3000, null, "bitmap",
        "iommufd", "embedded", "coalesce", "on-demand", true, 500, Map.of()).withRam(HOLE);
    RunSummary s = ReplayRunner.run(c, ReplayRunner.Progress.NONE);
    assertEquals(3000, s.operations());
    assertEquals(3001, s.verifiedSteps());
    assertEquals(7, s.verifiedWhole());
    assertTrue(s.sharedBytes() > 0);
  }

  /**
   * A conversion across two adjacent RAM regions is one guest request: refused in the second region (past the
   * type1 entry limit), it leaves the first exactly as before.
   */
  @Test
  void aConversionRefusedInTheSecondRegionLeavesTheFirstAsBefore() throws IOException {
    Path trace = dir.resolve("span.trace");
    Files.writeString(trace, """
        # guestmem-trace ram=0:1G,1G:1G
        kvm_convert_memory start 0x1000 size 0x10000 private_to_shared
        kvm_convert_memory start 0x3fff8000 size 0x80000 private_to_shared
        kvm_convert_memory start 0x3fff0000 size 0x4000 private_to_shared
        """);
    List<long[]> low = new ArrayList<>();
    RunSummary s = ReplayRunner.run(traceRun(trace, 2 * G, "vfio-type1", "granule", Map.of("dma-entry-limit",
        "64")), ReplayRunner.Progress.NONE, (first, path) -> first.replayPopulated(0, first.layout().size(),
            (off, len) -> {
              low.add(new long[] {off, len});
              return 0;
            }));
    assertEquals(1, s.refusedConversions(), "120 pages past a 64-entry limit");
    assertEquals(2, low.size());
    assertEquals(0x1000, low.get(0)[0]);
    assertEquals(0x10000, low.get(0)[1]);
    assertEquals(0x3fff0000, low.get(1)[0], "the first region's 8 pages of the refused conversion were put back");
    assertEquals(0x4000, low.get(1)[1]);
    assertEquals(0x14000, s.sharedBytes());
  }

  @Test
  void aConversionInTheHoleIsBadInputNamingTheLine() throws IOException {
    Path trace = dir.resolve("gap.trace");
    Files.writeString(trace, "# guestmem-trace ram=0:2G,4G:4G\n"
        + "kvm_convert_memory start 0x7ffff000 size 0x2000 private_to_shared\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayRunner.run(
        traceRun(trace, 6 * G, "none", "granule", Map.of()), ReplayRunner.Progress.NONE));
    assertTrue(e.getMessage().contains("gap.trace:2") && e.getMessage().contains("0x80000000 is in no RAM range"),
        e.getMessage());
  }

  @Test
  void aHeaderLayoutThatDisagreesWithTheSizeIsNamed() throws IOException {
    Path trace = dir.resolve("size.trace");
    Files.writeString(trace, "# guestmem-trace ram=0:2G,4G:4G\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReplayRunner.run(
        traceRun(trace, 8 * G, "none", "granule", Map.of()), ReplayRunner.Progress.NONE));
    assertTrue(e.getMessage().contains("0x200000000") && e.getMessage().contains("0x180000000"), e.getMessage());
  }
}
