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
