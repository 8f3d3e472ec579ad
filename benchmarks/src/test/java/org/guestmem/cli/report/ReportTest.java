package org.guestmem.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.guestmem.cli.replay.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir
  Path dir;

  @Test
  void jsonWrittenIsJsonRead() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "a \"quoted\"\nline\t\u0001");
    m.put("n", 42L);
    m.put("x", 1.5);
    m.put("list", List.of(true, false, "s"));
    m.put("empty", Map.of());
    m.put("none", null);
    Object back = JsonReader.parse(Json.write(m));
    Map<String, Object> expected = new LinkedHashMap<>(m);
    expected.put("n", 42.0);
    assertEquals(expected, back);
  }

  @Test
  void aSummaryReadBackFromItsJsonIsTheSameSummary() {
    org.guestmem.cli.replay.RunConfig config = new org.guestmem.cli.replay.RunConfig("boot-swiotlb", null,
        java.util.OptionalLong.empty(), false, 1L << 30, 4096, 1, 0, null, "bitmap", "iommufd", "embedded",
        "coalesce", false);
    long[] f = new long[28];
    for (int i = 0; i < f.length; i++) {
      f[i] = 1_000_003L * (i + 1); // every figure different, so that none is read from another's field
    }
    f[14] = -1; // a JOL figure not measured
    RunSummary s = new RunSummary(config, "iommufd: embedded", f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7],
        f[8], f[9], f[10], f[11], f[12], f[13], f[14], f[15], f[16], f[17], f[18], f[19], f[20], f[21], f[22], 0,
        f[24], f[25], f[26]);
    Map<?, ?> back = (Map<?, ?>) JsonReader.parse(Json.write(Summaries.toMap(s)));
    assertEquals(s, Summaries.fromMap(config, back));
    Map<String, Object> missing = new LinkedHashMap<>();
    back.forEach((k, v) -> missing.put((String) k, v));
    missing.remove("cutCalls");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Summaries.fromMap(config, missing));
    assertEquals("run summary: cutCalls is missing or not a number", e.getMessage());
  }

  @Test
  void badJsonNamesTheOffset() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("[1, }"));
    assertEquals("JSON offset 4: expected a value", e.getMessage());
  }

  @Test
  void jmhResultsBecomeATableAndOneChartPerMethod() throws IOException {
    String jmh = """
        [
          {"jmhVersion":"1.37","benchmark":"org.guestmem.bench.manager.ReplayCostBenchmark.replayPopulated",
           "mode":"avgt","threads":1,"forks":1,"params":{"blocksLog2":"18","runs":"16","store":"bitmap"},
           "primaryMetric":{"score":3.5,"scoreError":0.2,"scoreConfidence":[3.3,3.7],"scoreUnit":"us/op",
             "rawData":[[3.4,3.6]]},"secondaryMetrics":{}},
          {"jmhVersion":"1.37","benchmark":"org.guestmem.bench.manager.ReplayCostBenchmark.replayPopulated",
           "mode":"avgt","params":{"blocksLog2":"28","runs":"16","store":"bitmap"},
           "primaryMetric":{"score":900.0,"scoreError":"NaN","scoreUnit":"us/op"},"secondaryMetrics":{}},
          {"benchmark":"org.guestmem.bench.mapping.MappingPolicyBenchmark.replay","mode":"ss",
           "params":{"workload":"boot-swiotlb","mapping":"coalesce"},
           "primaryMetric":{"score":12.0,"scoreError":1.0,"scoreUnit":"ms/op"},
           "secondaryMetrics":{"peakEntries":{"score":30.0,"scoreUnit":"#"}}}
        ]
        """;
    Path file = dir.resolve("r.json");
    Files.writeString(file, jmh);
    Path html = JmhReport.read(file).write(dir.resolve("out"));
    String page = Files.readString(html);
    assertEquals(2, page.split("data:image/png;base64,", -1).length - 1);
    assertTrue(page.contains("<td>ReplayCostBenchmark.replayPopulated</td><td>blocksLog2=28 runs=16 store=bitmap"),
        page);
    assertTrue(page.contains("peakEntries=30.00"), page);
    assertTrue(Files.exists(dir.resolve("out/ReplayCostBenchmark.replayPopulated.png")));
    Files.writeString(file, "{\"not\": \"jmh\"}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JmhReport.read(file));
    assertTrue(e.getMessage().contains("is not a JMH JSON result file"), e.getMessage());
  }
}
