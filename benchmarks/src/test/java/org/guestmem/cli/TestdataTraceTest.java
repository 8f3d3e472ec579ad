package org.guestmem.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.guestmem.cli.replay.DmaPaths;
import org.guestmem.cli.replay.ReplayRunner;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;
import org.guestmem.cli.replay.UnsupportedCombination;
import org.guestmem.config.Providers;
import org.guestmem.trace.TraceHeader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QEMU-format traces under {@code testdata/} were written by {@code guestmem trace}; each replays to the same
 * final state and the same mappings as the workload its header names, on every back-end and policy found.
 */
class TestdataTraceTest {
  static final Path TESTDATA = Path.of("..", "testdata");

  @TempDir
  Path dir;

  record End(List<String> states, List<String> held) {}

  static End runAndCapture(RunConfig config, RunSummary[] summary) {
    End[] end = new End[1];
    summary[0] = ReplayRunner.run(config, ReplayRunner.Progress.NONE, (region, dma) -> {
      List<String> states = new ArrayList<>();
      region.replayStates(0, region.layout().size(), (off, len, st) -> {
        states.add(Long.toHexString(off) + "+" + Long.toHexString(len) + " " + st);
        return 0;
      });
      List<String> held = new ArrayList<>();
      for (long[] h : dma.held()) {
        held.add(Long.toHexString(h[0]) + "-" + Long.toHexString(h[1]));
      }
      end[0] = new End(states, held);
    });
    return end[0];
  }

  static List<Path> traces() throws IOException {
    try (Stream<Path> s = Files.list(TESTDATA)) {
      return s.filter(p -> p.toString().endsWith(".trace")).sorted().toList();
    }
  }

  /**
   * Every trace on every back-end found (and {@code none}) with both policies: the trace and its workload end in the
   * same states and the same mappings. The type1 entry limit is raised to one per granule (the embedded model's
   * option) so that granule mapping runs on type1 too; coalesce on a back-end that cannot cut must be refused the same
   * way for both inputs, and at least one back-end must run coalesce.
   */
  @TestFactory
  Stream<DynamicTest> eachTestdataTraceReplaysLikeItsWorkload() throws IOException {
    List<Path> traces = traces();
    assertFalse(traces.isEmpty(), "no traces under " + TESTDATA.toAbsolutePath());
    List<String> dmas = new ArrayList<>(Providers.dmaBackends().keySet());
    assertTrue(dmas.contains("iommufd") && dmas.contains("vfio-type1"), "DMA back-ends found: " + dmas);
    dmas.add(DmaPaths.NONE);
    List<DynamicTest> tests = new ArrayList<>();
    int[] coalesced = {0};
    for (Path trace : traces) {
      for (String dma : dmas) {
        for (String mapping : DmaPaths.NONE.equals(dma) ? List.of("granule") : List.of("granule", "coalesce")) {
          tests.add(dynamicTest(trace.getFileName() + " " + dma + "/" + mapping, () -> {
            TraceHeader h = TraceHeader.read(trace).orElseThrow();
            long size = h.size("size").orElseThrow();
            long granularity = h.size("granularity").orElseThrow();
            long base = h.size("base").orElseThrow();
            Map<String, String> options = Map.of("vfio-type1:dma-entry-limit", Long.toString(size / granularity));
            RunConfig fromTrace = new RunConfig(null, trace, OptionalLong.empty(), true, size, granularity, 0, 0,
                null, "bitmap", dma, "embedded", mapping, false, options);
            RunConfig fromWorkload = new RunConfig(h.get("workload").orElseThrow(), null, OptionalLong.of(base),
                false, size, granularity, Long.parseLong(h.get("seed").orElseThrow()),
                Long.parseLong(h.get("ops").orElseThrow()), null, "bitmap", dma, "embedded", mapping, false,
                options);
            RunSummary[] a = new RunSummary[1];
            RunSummary[] b = new RunSummary[1];
            End replayed;
            try {
              replayed = runAndCapture(fromTrace, a);
            } catch (UnsupportedCombination e) {
              assertEquals("coalesce", mapping, "only coalesce may be refused: " + e.getMessage());
              assertTrue(e.getMessage().contains("cannot"), e.getMessage());
              UnsupportedCombination again = assertThrows(UnsupportedCombination.class,
                  () -> runAndCapture(fromWorkload, b));
              assertEquals(e.getMessage(), again.getMessage());
              return;
            }
            End generated = runAndCapture(fromWorkload, b);
            assertEquals(generated.states(), replayed.states(), "final states differ");
            assertEquals(generated.held(), replayed.held(), "mappings differ");
            assertEquals(b[0].operations(), a[0].operations());
            assertEquals(b[0].blocksChanged(), a[0].blocksChanged());
            assertEquals(b[0].mapCalls(), a[0].mapCalls());
            assertEquals(b[0].unmapCalls(), a[0].unmapCalls());
            assertEquals(b[0].splitCalls(), a[0].splitCalls());
            assertEquals(b[0].peakEntries(), a[0].peakEntries());
            assertEquals(0, a[0].skippedLines());
            assertTrue(generated.states().size() > 1, "the workload changed nothing");
            assertFalse(replayed.held().isEmpty(), "nothing mapped at the end");
            if (!DmaPaths.NONE.equals(dma)) {
              assertEquals(a[0].finalEntries(), replayed.held().size());
              assertTrue(a[0].mapCalls() > 0, "no map calls counted");
            }
            if (mapping.equals("coalesce")) {
              coalesced[0]++;
            }
          }));
        }
      }
    }
    tests.add(dynamicTest("some back-end ran coalesce on every trace",
        () -> assertTrue(coalesced[0] >= traces.size(), "coalesce runs: " + coalesced[0])));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> eachTestdataTraceIsWhatTheGeneratorWritesToday() throws IOException {
    return traces().stream().map(trace -> dynamicTest(trace.getFileName().toString(), () -> {
      TraceHeader h = TraceHeader.read(trace).orElseThrow();
      Path again = dir.resolve(trace.getFileName());
      int code = GuestmemCli.execute(new String[] {"trace", "--workload", h.get("workload").orElseThrow(), "--size",
          h.get("size").orElseThrow(), "--granularity", h.get("granularity").orElseThrow(), "--seed",
          h.get("seed").orElseThrow(), "--ops", h.get("ops").orElseThrow(), "--base", h.get("base").orElseThrow(),
          "--out", again.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
      assertEquals(0, code);
      assertArrayEquals(Files.readAllBytes(trace), Files.readAllBytes(again),
          trace + " is not what 'guestmem trace' writes for its header's parameters");
    }));
  }
}
