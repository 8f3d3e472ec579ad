package org.guestmem.cli.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.guestmem.cli.Units;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;

/** The matrix of a {@code compare} run as a text table, JSON, PNG charts and one self-contained HTML page. */
public final class CompareReport {
  /**
   * One cell of the matrix.
   *
   * @param store state-store name
   * @param dma DMA back-end name
   * @param mapping mapping policy
   * @param summary what the run did, or null if the combination could not run
   * @param status {@code ok}, or why the combination cannot run
   */
  public record Row(String store, String dma, String mapping, RunSummary summary, String status) {
    String label() {
      return store + "/" + dma + ("none".equals(dma) ? "" : "/" + mapping);
    }
  }

  static final List<String> HEADER = List.of("store", "dma", "mapping", "status", "ops", "refused",
      "notifications", "map", "unmap", "cut", "entries peak", "entries final", "kernel mem peak", "store (JOL)",
      "dma (JOL)", "p50", "p99", "max", "ops/s");
  private static final boolean[] NUMERIC = {false, false, false, false, true, true, true, true, true, true, true,
      true, true, true, true, true, true, true, true};

  private final RunConfig base;
  private final List<Row> rows;

  public CompareReport(RunConfig base, List<Row> rows) {
    this.base = base;
    this.rows = List.copyOf(rows);
  }

  List<List<String>> cells() {
    List<List<String>> out = new ArrayList<>();
    for (Row r : rows) {
      RunSummary s = r.summary();
      List<String> c = new ArrayList<>(List.of(r.store(), r.dma(), "none".equals(r.dma()) ? "-" : r.mapping()));
      if (s == null) {
        c.add(r.status());
        while (c.size() < HEADER.size()) {
          c.add("");
        }
      } else {
        c.addAll(List.of("ok", Units.count(s.operations()), Units.count(s.refusedConversions()),
            Units.count(s.notifications()),
            Units.count(s.mapCalls()), Units.count(s.unmapCalls()), Units.count(s.splitCalls()),
            Units.count(s.peakEntries()), Units.count(s.finalEntries()), Units.bytes(s.peakKernelBytes()),
            Units.bytes(s.storeBytesJol()), Units.bytes(s.dmaBytesJol()), Units.nanos(s.p50Nanos()),
            Units.nanos(s.p99Nanos()), Units.nanos(s.maxNanos()), Units.count(Math.round(s.throughput()))));
      }
      out.add(c);
    }
    return out;
  }

  /**
   * The cells with each status other than {@code ok} replaced by {@code n/a [k]}, and the k-th reason added to
   * {@code notes} as {@code [k] store/dma/mapping: reason}: reasons are sentences, too long for a cell.
   */
  List<List<String>> cellsWithNotes(List<String> notes) {
    List<List<String>> cells = cells();
    for (int i = 0; i < cells.size(); i++) {
      String status = cells.get(i).get(3);
      if (!status.equals("ok")) {
        notes.add("[" + (notes.size() + 1) + "] " + rows.get(i).label() + ": " + status);
        cells.get(i).set(3, "n/a [" + notes.size() + "]");
      }
    }
    return cells;
  }

  /** Prints the matrix as an aligned text table; long statuses go below it as notes. */
  public void printTable(PrintWriter out) {
    List<String> notes = new ArrayList<>();
    List<List<String>> cells = cellsWithNotes(notes);
    int[] width = new int[HEADER.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = HEADER.get(i).length();
      for (List<String> row : cells) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    out.println(line(HEADER, width));
    StringBuilder rule = new StringBuilder();
    for (int w : width) {
      rule.append("-".repeat(w)).append("  ");
    }
    out.println(rule.toString().stripTrailing());
    for (List<String> row : cells) {
      out.println(line(row, width));
    }
    notes.forEach(out::println);
  }

  private static String line(List<String> cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      String pad = " ".repeat(width[i] - c.length());
      b.append(NUMERIC[i] ? pad + c : c + pad).append("  ");
    }
    return b.toString().stripTrailing();
  }

  /** The matrix as a JSON-ready map. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = Summaries.header("guestmem-compare");
    m.put("input", base.inputName());
    m.put("size", base.size());
    m.put("granularity", base.granularity());
    m.put("seed", base.seed());
    m.put("kernel", base.kernel());
    List<Object> runs = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("store", r.store());
      run.put("dma", r.dma());
      run.put("mapping", r.mapping());
      run.put("status", r.status());
      if (r.summary() != null) {
        run.put("summary", Summaries.toMap(r.summary()));
      } else {
        Map<String, Object> refused = Summaries.configMap(base.with(r.store(), r.dma(), r.mapping()), -1, 0);
        refused.put("reason", r.status());
        run.put("summary", refused);
      }
      runs.add(run);
    }
    m.put("runs", runs);
    return m;
  }

  /**
   * Writes {@code compare.json}, {@code memory.png}, {@code entries.png}, {@code latency.png} and {@code report.html}
   * (with the charts embedded) into {@code dir}; returns the HTML file.
   */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("compare.json"), Json.write(toMap()));
    List<String> labels = new ArrayList<>();
    List<Double> store = new ArrayList<>();
    List<Double> kernel = new ArrayList<>();
    List<Double> dma = new ArrayList<>();
    List<Double> peak = new ArrayList<>();
    List<Double> fin = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> max = new ArrayList<>();
    for (Row r : rows) {
      RunSummary s = r.summary();
      if (s == null) {
        continue;
      }
      labels.add(r.label());
      store.add((double) (s.storeBytesJol() >= 0 ? s.storeBytesJol() : s.storeBytesOwn()) / 1024);
      kernel.add((double) s.peakKernelBytes() / 1024);
      dma.add((double) Math.max(0, s.dmaBytesJol()) / 1024);
      peak.add((double) s.peakEntries());
      fin.add((double) s.finalEntries());
      p50.add(s.p50Nanos() / 1e3);
      p99.add(s.p99Nanos() / 1e3);
      max.add(s.maxNanos() / 1e3);
    }
    List<String> notes = new ArrayList<>();
    HtmlReport html = new HtmlReport("guestmem compare: " + base.inputName())
        .parameter("input", Summaries.describeInput(base))
        .parameter("region", "size " + Units.size(base.size()) + ", granularity " + Units.size(base.granularity()))
        .parameter("DMA kernel path", base.kernel())
        .parameter("combinations", rows.size() + " (" + labels.size() + " ran)")
        .table("Matrix: state store x DMA back-end x mapping policy", HEADER, cellsWithNotes(notes), NUMERIC);
    notes.forEach(html::note);
    if (!labels.isEmpty()) {
      Map<String, List<Double>> memory = new LinkedHashMap<>();
      memory.put("state store (JOL)", store);
      memory.put("kernel DMA entries (peak, estimate)", kernel);
      memory.put("Java DMA bookkeeping (JOL)", dma);
      Map<String, List<Double>> entries = new LinkedHashMap<>();
      entries.put("peak", peak);
      entries.put("final", fin);
      Map<String, List<Double>> latency = new LinkedHashMap<>();
      latency.put("p50", p50);
      latency.put("p99", p99);
      latency.put("max", max);
      byte[] mem = Charts.bars("Memory (KiB, log scale)", "KiB", labels, memory, true);
      byte[] ent = Charts.bars("DMA entries (log scale)", "entries", labels, entries, true);
      byte[] lat = Charts.bars("Conversion latency (µs, log scale)", "µs", labels, latency, true);
      Files.write(dir.resolve("memory.png"), mem);
      Files.write(dir.resolve("entries.png"), ent);
      Files.write(dir.resolve("latency.png"), lat);
      html.chart("Memory: what the state store retains (JOL), what the kernel spends on DMA mappings at the "
              + "peak (96 B per type1 entry, 384 B per iommufd area) and what the Java side's record of the mappings "
              + "retains at the end (JOL: listener view, back-end ledger, kernel model). Values below 1 KiB are drawn "
              + "at 1.", mem)
          .chart("DMA entries: mappings held at the peak and at the end (view runs for dma=none). "
              + "Zero is drawn at 1.", ent)
          .chart("Conversion latency per operation: manager + listener + back-end.", lat);
    }
    Path out = dir.resolve("report.html");
    Files.writeString(out, html.render());
    return out;
  }
}
