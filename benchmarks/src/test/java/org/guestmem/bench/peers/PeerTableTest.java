package org.guestmem.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerTableTest {
  private static PeerResult result(String peer, long bytes, long runs, double setNs, double convNs) {
    return new PeerResult(peer, Map.of(PhaseKind.SET, setNs, PhaseKind.CONVERT, convNs), Map.of(), bytes, runs, 9);
  }

  @Test
  void ratiosAreTheIntervalStoreOverThePeer() {
    PeerTable.Stream s = new PeerTable.Stream("runs-1e5", List.of(result("intervaltree", 200_000, 100_000, 300, 500),
        result("maple", 800_000, 100_000, 250, 90), result("xarray", 1_000_000, 100_000, 400, 400)), null);
    assertEquals(0.25, PeerTable.ratio(s, "maple", PeerResult::bytesPerRun), 1e-12);
    assertEquals(0.2, PeerTable.ratio(s, "xarray", PeerResult::bytesPerRun), 1e-12);
    assertEquals(1.2, PeerTable.ratio(s, "maple", r -> PeerTable.ns(r, PhaseKind.SET)), 1e-12);
    assertTrue(Double.isNaN(PeerTable.ratio(s, "qemu-bitmap", PeerResult::bytesPerRun)));
  }

  @Test
  void goalsSayMetMissedOrNotMeasured() {
    PeerTable t = new PeerTable();
    t.add(new PeerTable.Stream("runs-1e5", List.of(result("intervaltree", 200_000, 100_000, 300, 500),
        result("maple", 800_000, 100_000, 250, 90), result("xarray", 1_000_000, 100_000, 400, 400),
        result("qemu-bitmap", 1 << 20, 100_000, 100, 400)), null));
    t.add(new PeerTable.Stream("runs-1e3", List.of(result("intervaltree", 2_000, 1_000, 100, 100)),
        "gcc is not installed"));
    Map<String, String> verdicts = new java.util.HashMap<>();
    for (PeerTable.Goal g : t.goals()) {
      verdicts.put(g.stream() + " " + g.goal(), g.verdict());
    }
    assertEquals("met", verdicts.get("runs-1e5 bytes/run <= 0.5x maple"));
    assertEquals("missed", verdicts.get("runs-1e5 bytes/run <= 0.1x xarray"));
    assertEquals("met", verdicts.get("runs-1e5 range set <= 1.5x maple"));
    assertEquals("missed", verdicts.get("runs-1e5 conversion <= 1x qemu-bitmap"));
    // 1e3 runs: only the range-set goal applies, and without native peers it is not measured, with the reason
    assertEquals("not measured (gcc is not installed)", verdicts.get("runs-1e3 range set <= 1.5x maple"));
    assertEquals(5, verdicts.size(), verdicts.toString());
  }

  /**
   * The charts' figures are the true ones, below 1 too (a dense stream's 0.25 B per run), and a peer missing from a
   * stream, or without a figure there, has no value (no bar), not a zero or a 1.
   */
  @Test
  void chartSeriesKeepValuesBelowOneAndLeaveMissingPeersEmpty(@TempDir Path dir) throws IOException {
    PeerTable t = new PeerTable();
    t.add(new PeerTable.Stream("dense-2^22", List.of(result("intervaltree", 1, 4, 12.5, 40),
        result("bitmap", 1 << 20, 4, 3, Double.NaN)), "gcc is not installed"));
    t.add(new PeerTable.Stream("runs-1e3", List.of(result("intervaltree", 2_000, 1_000, 100, 100),
        result("bitmap", 1 << 20, 1_000, 2, 7), result("maple", 4_000, 1_000, 90, 80)), null));
    Map<String, List<Double>> bytes = t.series(PeerResult::bytesPerRun);
    assertEquals(List.of("intervaltree", "bitmap", "maple"), List.copyOf(bytes.keySet()), "peers in table order");
    assertEquals(Arrays.asList(0.25, 2.0), bytes.get("intervaltree"));
    assertEquals(Arrays.asList(null, 4.0), bytes.get("maple"), "no maple row on the dense stream: no bar");
    Map<String, List<Double>> conv = t.series(r -> PeerTable.ns(r, PhaseKind.CONVERT));
    assertEquals(Arrays.asList(null, 7.0), conv.get("bitmap"), "no conversion figure: no bar");
    Path html = t.writeHtml(dir, Map.of());
    String page = Files.readString(html);
    assertEquals(2, page.split("data:image/png;base64,", -1).length - 1, "both charts drawn");
    assertTrue(page.contains("a missing peer has no bar"), page);
  }

  @Test
  void boundIsInclusive() {
    PeerTable t = new PeerTable().add(new PeerTable.Stream("w", List.of(result("intervaltree", 10, 100_000, 150, 7),
        result("maple", 20, 100_000, 100, 1), result("qemu-bitmap", 1, 100_000, 1, 7)), null));
    Map<String, String> verdicts = new java.util.HashMap<>();
    t.goals().forEach(g -> verdicts.put(g.goal(), g.verdict()));
    assertEquals("met", verdicts.get("range set <= 1.5x maple"));
    assertEquals("met", verdicts.get("conversion <= 1x qemu-bitmap"));
    assertEquals("met", verdicts.get("bytes/run <= 0.5x maple"));
    StringWriter out = new StringWriter();
    t.print(new PrintWriter(out, true));
    assertTrue(out.toString().contains("MET"), out.toString());
  }
}
