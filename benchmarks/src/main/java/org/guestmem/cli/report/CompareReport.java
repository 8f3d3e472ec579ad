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
   * @param summary what the first measured run did (with the JOL figures), or null if the combination could not run
   * @param repeats every measured run, in order (the first is {@code summary}); empty if it could not run
   * @param status {@code ok}, or why the combination cannot run
   */
  public record Row(String store, String dma, String mapping, RunSummary summary, List<RunSummary> repeats,
      String status) {
    public Row {
      repeats = List.copyOf(repeats);
    }

    /** A combination that ran {@code repeats} times (at least once). */
    public Row(String store, String dma, String mapping, List<RunSummary> repeats) {
      this(store, dma, mapping, repeats.get(0), repeats, "ok");
    }

    /** A combination that ran once ({@code summary}) or could not run (null, and {@code status} says why). */
    public Row(String store, String dma, String mapping, RunSummary summary, String status) {
      this(store, dma, mapping, summary, summary == null ? List.of() : List.of(summary), status);
    }

    String label() {
      return store + "/" + dma + ("none".equals(dma) ? "" : "/" + mapping);
    }

    /** The spread of one figure over the repeats. */
    Spread spread(java.util.function.ToLongFunction<RunSummary> figure) {
      return Spread.of(repeats.stream().mapToLong(figure).toArray());
    }

    /** The spread of the operations per second over the repeats. */
    Spread throughput() {
      return spread(s -> Math.round(s.throughput()));
    }
  }

  /** Minimum, median and maximum of a figure over the repeats (the median of an even count is the lower middle). */
  record Spread(long min, long median, long max) {
    static Spread of(long[] values) {
      long[] v = values.clone();
      java.util.Arrays.sort(v);
      return new Spread(v[0], v[(v.length - 1) / 2], v[v.length - 1]);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("min", min);
      m.put("median", median);
      m.put("max", max);
      return m;
    }
  }

  /**
   * Below this many operations a run's p99 rests on fewer than 100 samples, and with the maximum it measures the
   * JIT, the collector and page faults more than the conversions.
   */
  static final long SHORT_RUN = 10_000;

  static final List<String> HEADER = List.of("store", "dma", "mapping", "status", "ops", "refused",
      "notifications", "map", "unmap", "cut", "entries peak", "entries final", "kernel mem peak", "store (JOL)",
      "dma (JOL)", "p50", "p50 min-max", "p99", "max", "ops/s");
  private static final boolean[] NUMERIC = {false, false, false, false, true, true, true, true, true, true, true,
      true, true, true, true, true, true, true, true, true};

  /** vfio_iommu_type1's default {@code dma_entry_limit}. */
  static final long TYPE1_ENTRY_LIMIT = 65_535;

  /**
   * How the runs were measured.
   *
   * @param fork whether every measured run had a fresh JVM
   * @param warmup unmeasured runs: with {@code fork}, of the same combination in each fresh JVM before its measured
   *     run (at least this many); without, rounds over every combination before the measured rounds
   * @param warmupOps with {@code fork}, how many operations the unmeasured runs in each fresh JVM replayed at least
   */
  public record Method(boolean fork, int warmup, long warmupOps) {
    /** Measured in one JVM after {@code warmup} rounds. */
    public static Method inOneJvm(int warmup) {
      return new Method(false, warmup, 0);
    }

    String describe(int repeats) {
      String rounds = String.format("%d measured round%s, interleaved (each round runs every combination once)",
          repeats, plural(repeats));
      String how = fork
          ? String.format("%s; every measured run in a fresh JVM, after unmeasured runs of the same combination "
              + "there (at least %d run%s and %s operations)", rounds, warmup, plural(warmup),
              Units.count(warmupOps))
          : String.format("%d unmeasured warm-up round%s over every combination, then %s, all in one JVM", warmup,
              plural(warmup), rounds);
      return how + "; latency and ops/s are the median over the rounds (p50 min-max: the spread of the medians)";
    }

    private static String plural(int n) {
      return n == 1 ? "" : "s";
    }
  }

  private final RunConfig base;
  private final List<Row> rows;
  private final Method method;

  /** A matrix measured in one JVM without a warm-up round. */
  public CompareReport(RunConfig base, List<Row> rows) {
    this(base, rows, Method.inOneJvm(0));
  }

  public CompareReport(RunConfig base, List<Row> rows, Method method) {
    this.base = base;
    this.rows = List.copyOf(rows);
    this.method = method;
  }

  /** How the figures were taken, for the table's foot, the page and the JSON. */
  String method() {
    return method.describe(rows.stream().mapToInt(r -> r.repeats().size()).max().orElse(0));
  }

  /** A note when the runs are too short for their tail to mean anything, else null. */
  String shortRunNote() {
    long fewest = rows.stream().filter(r -> r.summary() != null).mapToLong(r -> r.summary().operations()).min()
        .orElse(Long.MAX_VALUE);
    if (fewest >= SHORT_RUN) {
      return null;
    }
    return String.format("Short run: %s operations per combination at the fewest, so p99 rests on %s samples and "
        + "p99 and max are noise (JIT, collector, page faults); compare p50, or give more --ops.",
        Units.count(fewest), Units.count(Math.max(0, fewest / 100)));
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
        Spread p50 = r.spread(RunSummary::p50Nanos);
        c.addAll(List.of("ok", Units.count(s.operations()), Units.count(s.refusedConversions()),
            Units.count(s.notifications()),
            Units.count(s.mapCalls()), Units.count(s.unmapCalls()), Units.count(s.splitCalls()),
            Units.count(s.peakEntries()), Units.count(s.finalEntries()), Units.bytes(s.peakKernelBytes()),
            Units.bytes(s.storeBytesJol()), Units.bytes(s.dmaBytesJol()), Units.nanos(p50.median()),
            Units.nanos(p50.min()) + "-" + Units.nanos(p50.max()), Units.nanos(r.spread(RunSummary::p99Nanos).median()),
            Units.nanos(r.spread(RunSummary::maxNanos).median()), Units.count(r.throughput().median())));
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
    out.println("measured: " + method());
    String tail = shortRunNote();
    if (tail != null) {
      out.println(tail);
    }
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
    m.put("warmupRounds", method.warmup()); // --warmup: per fresh JVM with fork, else rounds over all combinations
    m.put("fork", method.fork());
    m.put("warmupOps", method.warmupOps());
    m.put("method", method());
    String tail = shortRunNote();
    if (tail != null) {
      m.put("shortRun", tail);
    }
    List<Object> runs = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("store", r.store());
      run.put("dma", r.dma());
      run.put("mapping", r.mapping());
      run.put("status", r.status());
      if (r.summary() != null) {
        run.put("summary", Summaries.toMap(r.summary()));
        Map<String, Object> spread = new LinkedHashMap<>();
        spread.put("repeats", r.repeats().size());
        spread.put("latencyP50Nanos", r.spread(RunSummary::p50Nanos).toMap());
        spread.put("latencyP99Nanos", r.spread(RunSummary::p99Nanos).toMap());
        spread.put("latencyMaxNanos", r.spread(RunSummary::maxNanos).toMap());
        spread.put("throughputOpsPerSecond", r.throughput().toMap());
        spread.put("elapsedNanos", r.spread(RunSummary::elapsedNanos).toMap());
        run.put("spread", spread);
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
    List<Double> p50min = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p50max = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    boolean type1 = false;
    for (Row r : rows) {
      RunSummary s = r.summary();
      if (s == null) {
        continue;
      }
      type1 |= r.dma().equals("vfio-type1");
      labels.add(r.label());
      store.add((double) (s.storeBytesJol() >= 0 ? s.storeBytesJol() : s.storeBytesOwn()));
      kernel.add((double) s.peakKernelBytes());
      dma.add((double) Math.max(0, s.dmaBytesJol()));
      peak.add((double) s.peakEntries());
      fin.add((double) s.finalEntries());
      Spread lat = r.spread(RunSummary::p50Nanos);
      p50min.add((double) lat.min());
      p50.add((double) lat.median());
      p50max.add((double) lat.max());
      p99.add((double) r.spread(RunSummary::p99Nanos).median());
    }
    List<String> notes = new ArrayList<>();
    HtmlReport html = new HtmlReport("guestmem compare: " + base.inputName())
        .parameter("input", Summaries.describeInput(base))
        .parameter("region", "size " + Units.size(base.size()) + ", granularity " + Units.size(base.granularity()))
        .parameter("DMA kernel path", base.kernel())
        .parameter("combinations", rows.size() + " (" + labels.size() + " ran)")
        .parameter("measured", method())
        .table("Matrix: state store x DMA back-end x mapping policy", HEADER, cellsWithNotes(notes), NUMERIC);
    notes.forEach(html::note);
    String tail = shortRunNote();
    if (tail != null) {
      html.note(tail);
    }
    if (!labels.isEmpty()) {
      Map<String, List<Double>> memory = new LinkedHashMap<>();
      memory.put("state store (JOL)", store);
      memory.put("kernel DMA entries (peak, estimate)", kernel);
      memory.put("Java DMA bookkeeping (JOL)", dma);
      Map<String, List<Double>> entries = new LinkedHashMap<>();
      entries.put("peak", peak);
      entries.put("final", fin);
      Map<String, List<Double>> latency = new LinkedHashMap<>();
      latency.put("p50 min", p50min);
      latency.put("p50 median", p50);
      latency.put("p50 max", p50max);
      latency.put("p99 median", p99);
      byte[] mem = Charts.bars("Memory (log scale)", "bytes", labels, memory, LogScale.BYTES, null);
      byte[] ent = Charts.bars("DMA entries (log scale)", "entries", labels, entries, LogScale.COUNT,
          type1 ? new Charts.Limit(TYPE1_ENTRY_LIMIT, "type1 default dma_entry_limit 65,535") : null);
      byte[] lat = Charts.bars("Conversion latency (log scale)", "per operation", labels, latency,
          LogScale.NANOS, null);
      Files.write(dir.resolve("memory.png"), mem);
      Files.write(dir.resolve("entries.png"), ent);
      Files.write(dir.resolve("latency.png"), lat);
      html.chart("Memory: what the state store retains (JOL), what the kernel spends on DMA mappings at the "
              + "peak (96 B per type1 entry, 384 B per iommufd area) and what the Java side's record of the mappings "
              + "retains at the end (JOL: listener view, back-end ledger, kernel model). Each bar carries its value; "
              + "a zero has no bar.", mem)
          .chart("DMA entries: mappings held at the peak and at the end (view runs for dma=none); the line is "
              + "type1's default entry limit. A zero has no bar.", ent)
          .chart("Conversion latency per operation (manager + listener + back-end): the p50 of every measured "
              + "round as min, median and max, and the median p99." + (tail != null ? " " + tail : ""), lat);
    }
    Path out = dir.resolve("report.html");
    Files.writeString(out, html.render());
    return out;
  }
}
