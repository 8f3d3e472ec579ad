package org.guestmem.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into the same kind of report as {@code compare}: a table of every
 * benchmark x parameter combination with score, error and unit, one PNG chart per benchmark method, and one
 * self-contained HTML page.
 */
public final class JmhReport {
  /** One JMH result. */
  record Result(String benchmark, String params, String mode, double score, double error, String unit,
      Map<String, Double> secondary) {
    String method() {
      int dot = benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1);
      return benchmark.substring(dot + 1);
    }
  }

  private final List<Result> results;
  private final String source;

  private JmhReport(List<Result> results, String source) {
    this.results = results;
    this.source = source;
  }

  /**
   * Reads a JMH JSON result file.
   *
   * @throws IllegalArgumentException if it is not a JMH result array
   */
  @SuppressWarnings("unchecked")
  public static JmhReport read(Path file) throws IOException {
    Object root = JsonReader.parse(Files.readString(file));
    if (!(root instanceof List<?> list)) {
      throw new IllegalArgumentException(file + " is not a JMH JSON result file (expected an array)");
    }
    List<Result> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("primaryMetric") instanceof Map<?, ?> pm)) {
        throw new IllegalArgumentException(file + " is not a JMH JSON result file (no primaryMetric)");
      }
      StringBuilder params = new StringBuilder();
      if (m.get("params") instanceof Map<?, ?> p) {
        p.forEach((k, v) -> params.append(params.length() == 0 ? "" : " ").append(k).append('=').append(v));
      }
      Map<String, Double> secondary = new LinkedHashMap<>();
      if (m.get("secondaryMetrics") instanceof Map<?, ?> sm) {
        sm.forEach((k, v) -> {
          if (v instanceof Map<?, ?> metric && metric.get("score") instanceof Double d) {
            secondary.put(String.valueOf(k), d);
          }
        });
      }
      out.add(new Result(String.valueOf(m.get("benchmark")), params.toString(), String.valueOf(m.get("mode")),
          number(pm.get("score")), number(pm.get("scoreError")), String.valueOf(pm.get("scoreUnit")), secondary));
    }
    return new JmhReport(out, file.getFileName().toString());
  }

  private static double number(Object o) {
    return o instanceof Double d ? d : Double.NaN;
  }

  /** Writes one PNG per benchmark method and {@code report.html} into {@code dir}; returns the HTML file. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<List<String>> rows = new ArrayList<>();
    for (Result r : results) {
      StringBuilder sec = new StringBuilder();
      r.secondary().forEach((k, v) -> sec.append(sec.length() == 0 ? "" : ", ").append(k).append('=')
          .append(String.format(Locale.ROOT, "%.4g", v)));
      rows.add(List.of(r.method(), r.params(), r.mode(), String.format(Locale.ROOT, "%.4g", r.score()),
          Double.isNaN(r.error()) ? "" : String.format(Locale.ROOT, "± %.2g", r.error()), r.unit(),
          sec.toString()));
    }
    HtmlReport html = new HtmlReport("guestmem JMH results: " + source)
        .parameter("results", results.size() + " benchmark x parameter combinations")
        .table("Results", List.of("benchmark", "parameters", "mode", "score", "error (99.9%)", "unit", "secondary"),
            rows, new boolean[] {false, false, false, true, true, false, false});
    Map<String, List<Result>> byMethod = new LinkedHashMap<>();
    for (Result r : results) {
      byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<Result>> e : byMethod.entrySet()) {
      List<String> labels = new ArrayList<>();
      List<Double> scores = new ArrayList<>();
      for (Result r : e.getValue()) {
        labels.add(r.params().isEmpty() ? r.method() : r.params());
        scores.add(r.score());
      }
      double max = scores.stream().mapToDouble(Double::doubleValue).max().orElse(1);
      double min = scores.stream().mapToDouble(Double::doubleValue).min().orElse(1);
      boolean log = min > 0 && max / min > 100;
      String unit = e.getValue().get(0).unit();
      Map<String, List<Double>> series = new LinkedHashMap<>();
      series.put(e.getKey() + " (" + unit + ")", scores);
      byte[] png = Charts.bars(e.getKey() + (log ? " (log scale)" : ""), unit, labels, series, log);
      Files.write(dir.resolve(e.getKey().replaceAll("[^A-Za-z0-9_.-]", "_") + ".png"), png);
      html.chart(e.getKey() + ": " + e.getValue().get(0).mode() + " in " + unit + ", one bar per parameter set.",
          png);
    }
    Path out = dir.resolve("report.html");
    Files.writeString(out, html.render());
    return out;
  }
}
