package org.guestmem.bench.peers;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.guestmem.cli.report.Charts;
import org.guestmem.cli.report.HtmlReport;
import org.guestmem.cli.report.LogScale;

/**
 * The side-by-side table: per stream (data set or workload) a row per peer with bytes per run and nanoseconds per
 * operation of each phase, the ratio of guestmem's interval store to that peer, and the goals checked against the
 * measured figures.
 *
 * <p>The goals: the interval store's bytes per run at most 0.5x the maple tree's and at most 0.1x the xarray's on
 * streams of 10<sup>5</sup> to 10<sup>6</sup> runs; its time per range set at most 1.5x the maple tree's; its time
 * per conversion (store and notification, no DMA) at most the QEMU bitmap algorithm's on streams of 10<sup>5</sup>
 * runs or more.
 */
public final class PeerTable {
  /** guestmem's store the goals are about. */
  public static final String SUBJECT = "intervaltree";

  /** One stream's results, peers in table order; {@code missing} says why native peers are absent (or null). */
  public record Stream(String name, List<PeerResult> results, String missing) {
    public Stream {
      results = List.copyOf(results);
    }

    PeerResult peer(String name) {
      return results.stream().filter(r -> r.peer().equals(name)).findFirst().orElse(null);
    }

    long runs() {
      PeerResult s = peer(SUBJECT);
      return s == null ? -1 : s.runs();
    }
  }

  /** A goal's outcome on one stream; {@code verdict} is met, missed or "not measured (...)". */
  public record Goal(String goal, String stream, double ratio, double bound, String verdict) {}

  private final List<Stream> streams = new ArrayList<>();

  public PeerTable add(Stream s) {
    streams.add(s);
    return this;
  }

  public List<Stream> streams() {
    return List.copyOf(streams);
  }

  /** The ratio interval store / {@code peer} of {@code metric} on {@code s}, or NaN if either is missing. */
  static double ratio(Stream s, String peer, ToDoubleFunction<PeerResult> metric) {
    PeerResult a = s.peer(SUBJECT);
    PeerResult b = s.peer(peer);
    if (a == null || b == null) {
      return Double.NaN;
    }
    double x = metric.applyAsDouble(a);
    double y = metric.applyAsDouble(b);
    return Double.isNaN(x) || Double.isNaN(y) || y == 0 ? Double.NaN : x / y;
  }

  static double ns(PeerResult r, PhaseKind k) {
    Double v = r.nsPerOp().get(k);
    return v == null ? Double.NaN : v;
  }

  /** Every goal on every stream it applies to. */
  public List<Goal> goals() {
    List<Goal> out = new ArrayList<>();
    for (Stream s : streams) {
      long runs = s.runs();
      if (runs >= 100_000 && runs <= 1_000_000) {
        out.add(goal("bytes/run <= 0.5x maple", s, ratio(s, "maple", PeerResult::bytesPerRun), 0.5));
        out.add(goal("bytes/run <= 0.1x xarray", s, ratio(s, "xarray", PeerResult::bytesPerRun), 0.1));
      }
      if (s.peer(SUBJECT) != null && s.peer(SUBJECT).nsPerOp().containsKey(PhaseKind.SET)) {
        out.add(goal("range set <= 1.5x maple", s, ratio(s, "maple", r -> ns(r, PhaseKind.SET)), 1.5));
      }
      if (runs >= 100_000 && s.peer(SUBJECT) != null && s.peer(SUBJECT).nsPerOp().containsKey(PhaseKind.CONVERT)) {
        out.add(goal("conversion <= 1x qemu-bitmap", s, ratio(s, "qemu-bitmap", r -> ns(r, PhaseKind.CONVERT)), 1));
      }
    }
    return out;
  }

  private static Goal goal(String name, Stream s, double ratio, double bound) {
    String verdict = Double.isNaN(ratio) ? "not measured" + (s.missing() != null ? " (" + s.missing() + ")" : "")
        : ratio <= bound ? "met" : "missed";
    return new Goal(name, s.name(), ratio, bound, verdict);
  }

  private static final PhaseKind[] TIMED = {PhaseKind.SET, PhaseKind.QUERY, PhaseKind.ITERATE, PhaseKind.CONVERT};

  private static String num(double v, String fmt) {
    return Double.isNaN(v) ? "-" : String.format(fmt, v);
  }

  /** The table's rows as text cells, header first. */
  List<List<String>> cells() {
    List<List<String>> rows = new ArrayList<>();
    List<String> head = new ArrayList<>(List.of("stream", "peer", "runs", "bytes/run"));
    for (PhaseKind k : TIMED) {
      head.add("ns/" + k.label());
    }
    head.addAll(List.of("interval/peer bytes", "interval/peer set", "interval/peer conv"));
    rows.add(head);
    for (Stream s : streams) {
      for (PeerResult r : s.results()) {
        List<String> row = new ArrayList<>(List.of(s.name(), r.peer(), Long.toString(r.runs()),
            num(r.bytesPerRun(), "%.2f")));
        for (PhaseKind k : TIMED) {
          row.add(num(ns(r, k), "%.1f"));
        }
        row.add(num(ratio(s, r.peer(), PeerResult::bytesPerRun), "%.3f"));
        row.add(num(ratio(s, r.peer(), x -> ns(x, PhaseKind.SET)), "%.2f"));
        row.add(num(ratio(s, r.peer(), x -> ns(x, PhaseKind.CONVERT)), "%.2f"));
        rows.add(row);
      }
      if (s.missing() != null) {
        rows.add(List.of(s.name(), "(native peers)", "missing: " + s.missing(), "", "", "", "", "", "", "", ""));
      }
    }
    return rows;
  }

  /** Prints the table and the goals. */
  public void print(PrintWriter out) {
    List<List<String>> rows = cells();
    int[] w = new int[rows.get(0).size()];
    for (List<String> r : rows) {
      if (r.get(1).startsWith("(")) {
        continue;
      }
      for (int i = 0; i < r.size(); i++) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    for (List<String> r : rows) {
      if (r.get(1).startsWith("(")) {
        out.println("  " + r.get(0) + ": native peers missing: " + r.get(2).substring("missing: ".length()));
        continue;
      }
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        b.append(i < 2 ? String.format("%-" + w[i] + "s  ", r.get(i)) : String.format("%" + w[i] + "s  ", r.get(i)));
      }
      out.println(b.toString().stripTrailing());
    }
    out.println("goals (interval store = " + SUBJECT + "):");
    for (Goal g : goals()) {
      out.printf("  %-30s %-12s ratio %s (bound %.1f): %s%n", g.goal(), g.stream(), num(g.ratio(), "%.3f"),
          g.bound(), g.verdict().toUpperCase().startsWith("NOT") ? g.verdict() : g.verdict().toUpperCase());
    }
  }

  /** Writes {@code report.html} (the table, the goals, a bytes-per-run and a per-operation chart) under dir. */
  public Path writeHtml(Path dir, Map<String, String> parameters) throws IOException {
    Files.createDirectories(dir);
    HtmlReport html = new HtmlReport("guestmem peers: guestmem's stores against the kernel's and QEMU's");
    parameters.forEach(html::parameter);
    List<List<String>> rows = cells();
    boolean[] numeric = new boolean[rows.get(0).size()];
    for (int i = 2; i < numeric.length; i++) {
      numeric[i] = true;
    }
    List<List<String>> body = new ArrayList<>();
    for (List<String> r : rows.subList(1, rows.size())) {
      body.add(r.size() == numeric.length ? r : padded(r, numeric.length));
    }
    html.table("Per stream and peer: bytes per maximal run at the end of the stream, nanoseconds per operation (best "
        + "round), and the interval store's figure divided by the peer's", rows.get(0), body, numeric);
    List<List<String>> goalRows = new ArrayList<>();
    for (Goal g : goals()) {
      goalRows.add(List.of(g.goal(), g.stream(), num(g.ratio(), "%.3f"), String.format("%.1f", g.bound()),
          g.verdict()));
    }
    html.table("Goals, checked on the figures above", List.of("goal", "stream", "ratio", "bound", "verdict"),
        goalRows, new boolean[] {false, false, true, true, false});
    List<String> names = streams.stream().map(Stream::name).toList();
    html.chart("Bytes per maximal run (log scale at powers of 4, each bar labelled with its value, below 1 B too; a "
        + "missing peer has no bar)", Charts.bars("Bytes per run", "bytes per run", names,
        series(PeerResult::bytesPerRun), LogScale.BYTES, null));
    html.chart("Time per conversion: store plus notification, no DMA (log scale at powers of 10, each bar labelled "
        + "with its value; a missing peer has no bar)", Charts.bars("Per conversion", "per conversion", names,
        series(r -> ns(r, PhaseKind.CONVERT)), LogScale.NANOS, null));
    Path file = dir.resolve("report.html");
    Files.writeString(file, html.render());
    return file;
  }

  /**
   * Per peer, {@code metric} of its result on each stream, in stream order, as the charts take it: null where the
   * peer has no result on that stream or the metric no value (NaN), so that a missing figure has no bar.
   */
  Map<String, List<Double>> series(ToDoubleFunction<PeerResult> metric) {
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (String peer : peerNames()) {
      List<Double> values = new ArrayList<>();
      for (Stream s : streams) {
        PeerResult r = s.peer(peer);
        double v = r == null ? Double.NaN : metric.applyAsDouble(r);
        values.add(Double.isNaN(v) ? null : v);
      }
      series.put(peer, values);
    }
    return series;
  }

  private List<String> peerNames() {
    List<String> names = new ArrayList<>();
    for (Stream s : streams) {
      for (PeerResult r : s.results()) {
        if (!names.contains(r.peer())) {
          names.add(r.peer());
        }
      }
    }
    return names;
  }

  private static List<String> padded(List<String> r, int n) {
    List<String> p = new ArrayList<>(r);
    while (p.size() < n) {
      p.add("");
    }
    return p.subList(0, n);
  }
}
