package org.guestmem.cli.report;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.guestmem.cli.Units;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;

/** A replay's summary as text lines and as a JSON-ready map. */
public final class Summaries {
  private Summaries() {}

  /** Prints the summary of one replay, one figure per line. */
  public static void print(RunSummary s, PrintStream out) {
    RunConfig c = s.config();
    out.printf("input            %s%n", describeInput(c));
    out.printf("region           size %s, granularity %s, store %s, plug source %s%n", Units.size(c.size()),
        Units.size(c.granularity()), c.store(), c.plug() == null ? "as the input needs" : c.plug());
    if (c.ram() != null) {
      out.printf("guest RAM        %d regions at %s, one guest memory map%n", c.ram().ranges().size(), c.ram());
    }
    out.printf("dma              %s, mapping %s%n", s.dmaDescription(), c.mapping());
    out.printf("conversions      %s operations (%s already in the target state%s)%n", Units.count(s.operations()),
        Units.count(s.unchanged()), s.skippedLines() > 0 ? ", " + Units.count(s.skippedLines())
            + " other trace lines skipped" : "");
    if (s.refusedConversions() > 0) {
      out.printf("refused          %s conversions, each undone exactly (entry-limit policy %s)%n",
          Units.count(s.refusedConversions()), c.entryLimit());
    }
    out.printf("blocks changed   %s (shared at the end: %s)%n", Units.count(s.blocksChanged()),
        Units.bytes(s.sharedBytes()));
    out.printf("notifications    %s listener calls for %s changed runs%n", Units.count(s.notifications()),
        Units.count(s.runsNotified()));
    out.printf("map/unmap/cut    %s / %s / %s%n", Units.count(s.mapCalls()), Units.count(s.unmapCalls()),
        Units.count(s.splitCalls()));
    out.printf("DMA entries      peak %s, final %s%n", Units.count(s.peakEntries()), Units.count(s.finalEntries()));
    out.printf("kernel memory    peak %s, final %s (estimate)%n", Units.bytes(s.peakKernelBytes()),
        Units.bytes(s.kernelBytes()));
    out.printf("pinned           peak %s, final %s%n", Units.bytes(s.peakPinnedBytes()),
        Units.bytes(s.pinnedBytes()));
    out.printf("store bytes      %s (JOL), %s (store's own count)%n", Units.bytes(s.storeBytesJol()),
        Units.bytes(s.storeBytesOwn()));
    out.printf("DMA bookkeeping  %s (JOL, Java heap), %s run records%s%n", Units.bytes(s.dmaBytesJol()),
        Units.count(s.dmaRecords()), s.dmaBytesJol() >= 0 && s.dmaRecords() > 0
            ? ", " + Units.bytes(s.dmaBytesJol() / s.dmaRecords()) + " per record" : "");
    out.printf("latency          p50 %s, p99 %s, max %s per operation%n", Units.nanos(s.p50Nanos()),
        Units.nanos(s.p99Nanos()), Units.nanos(s.maxNanos()));
    out.printf("throughput       %s operations/s (%s in conversions)%n", Units.count(Math.round(s.throughput())),
        Units.nanos(s.elapsedNanos()));
    out.printf("invariant        mappings == populated runs, checked %s%n", describeChecks(s));
  }

  static String describeChecks(RunSummary s) {
    RunConfig c = s.config();
    String whole = c.verifyEvery() > 0
        ? "over the whole region every " + Units.count(c.verifyEvery()) + " operations and at the end ("
            + Units.count(s.verifiedWhole()) + " times)"
        : "over the whole region at the end";
    if (c.verify()) {
      return "after every operation (" + Units.count(s.verifiedSteps()) + " checks), in the range it touched; "
          + whole;
    }
    return c.verifyEvery() > 0 ? whole : "at the end";
  }

  static String describeInput(RunConfig c) {
    if (c.workload() != null) {
      return String.format("workload %s, seed %d%s", c.workload(), c.seed(),
          c.ops() > 0 ? ", ops " + c.ops() : "");
    }
    return "trace " + c.trace() + (c.strict() ? " (strict)" : "");
  }

  /**
   * The JSON documents' version: 2 added {@code schema}, {@code schemaVersion} and {@code tool}, named the cut calls
   * {@code cutCalls} as the table does, made {@code input.ops} the operations run (the option given is
   * {@code input.opsOption}, 0 for the workload's default), and gave refused combinations their configuration and
   * {@code reason}.
   */
  public static final int SCHEMA_VERSION = 2;

  /** The fields every JSON document of the command line starts with: which document, its version, the tool. */
  static Map<String, Object> header(String schema) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", schema);
    m.put("schemaVersion", SCHEMA_VERSION);
    m.put("tool", org.guestmem.cli.GuestmemCli.VERSION);
    return m;
  }

  /** A replay's summary as the document {@code replay --json} writes. */
  public static Map<String, Object> toDocument(RunSummary s) {
    Map<String, Object> m = header("guestmem-replay");
    m.putAll(toMap(s));
    return m;
  }

  /** What was asked for: the input, the region and the combination; {@code operations} is -1 when nothing ran. */
  static Map<String, Object> configMap(RunConfig c, long operations, long skippedLines) {
    Map<String, Object> input = new LinkedHashMap<>();
    if (c.workload() != null) {
      input.put("workload", c.workload());
      input.put("seed", c.seed());
      input.put("ops", operations);
      input.put("opsOption", c.ops());
    } else {
      input.put("trace", c.trace().toString());
      input.put("strict", c.strict());
      input.put("skippedLines", skippedLines);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input);
    m.put("size", c.size());
    if (c.ram() != null) {
      m.put("ram", c.ram().format());
    }
    m.put("granularity", c.granularity());
    m.put("store", c.store());
    m.put("dma", c.dma());
    m.put("kernel", c.kernel());
    m.put("mapping", c.mapping());
    m.put("entryLimit", c.entryLimit());
    m.put("dmaOptions", new LinkedHashMap<>(c.dmaOptionsFor(c.dma())));
    return m;
  }

  /** The summary as a map for {@link Json}: the configuration, then the figures. */
  public static Map<String, Object> toMap(RunSummary s) {
    Map<String, Object> m = configMap(s.config(), s.operations(), s.skippedLines());
    m.put("dmaDescription", s.dmaDescription());
    m.put("operations", s.operations());
    m.put("unchanged", s.unchanged());
    m.put("refusedConversions", s.refusedConversions());
    m.put("blocksChanged", s.blocksChanged());
    m.put("runsNotified", s.runsNotified());
    m.put("notifications", s.notifications());
    m.put("mapCalls", s.mapCalls());
    m.put("unmapCalls", s.unmapCalls());
    m.put("cutCalls", s.splitCalls());
    m.put("peakEntries", s.peakEntries());
    m.put("finalEntries", s.finalEntries());
    m.put("kernelBytes", s.kernelBytes());
    m.put("peakKernelBytes", s.peakKernelBytes());
    m.put("pinnedBytes", s.pinnedBytes());
    m.put("peakPinnedBytes", s.peakPinnedBytes());
    m.put("storeBytesJol", s.storeBytesJol());
    m.put("storeBytesOwn", s.storeBytesOwn());
    m.put("dmaBytesJol", s.dmaBytesJol());
    m.put("dmaRecords", s.dmaRecords());
    m.put("sharedBytes", s.sharedBytes());
    m.put("latencyP50Nanos", s.p50Nanos());
    m.put("latencyP99Nanos", s.p99Nanos());
    m.put("latencyMaxNanos", s.maxNanos());
    m.put("elapsedNanos", s.elapsedNanos());
    m.put("throughputOpsPerSecond", s.throughput());
    m.put("verifiedSteps", s.verifiedSteps());
    m.put("verifiedWhole", s.verifiedWhole());
    return m;
  }

  /**
   * The summary {@link #toMap} wrote (as {@link JsonReader} read it back), for the run {@code config}: how
   * {@code compare} takes the figures of a run made in another JVM.
   *
   * @throws IllegalArgumentException naming the first figure that is missing or not a number
   */
  public static RunSummary fromMap(RunConfig config, Map<?, ?> m) {
    Object input = m.get("input");
    long skipped = input instanceof Map<?, ?> in && in.get("skippedLines") != null
        ? figure(in, "skippedLines") : 0;
    Object description = m.get("dmaDescription");
    if (!(description instanceof String)) {
      throw new IllegalArgumentException("run summary: dmaDescription is missing");
    }
    return new RunSummary(config, (String) description, figure(m, "operations"), figure(m, "unchanged"),
        figure(m, "blocksChanged"), figure(m, "runsNotified"), figure(m, "notifications"), figure(m, "mapCalls"),
        figure(m, "unmapCalls"), figure(m, "cutCalls"), figure(m, "peakEntries"), figure(m, "finalEntries"),
        figure(m, "kernelBytes"), figure(m, "peakKernelBytes"), figure(m, "pinnedBytes"),
        figure(m, "peakPinnedBytes"), figure(m, "storeBytesJol"), figure(m, "storeBytesOwn"),
        figure(m, "dmaBytesJol"), figure(m, "dmaRecords"), figure(m, "sharedBytes"), figure(m, "latencyP50Nanos"),
        figure(m, "latencyP99Nanos"), figure(m, "latencyMaxNanos"), figure(m, "elapsedNanos"), skipped,
        figure(m, "verifiedSteps"), figure(m, "verifiedWhole"), figure(m, "refusedConversions"));
  }

  /** A whole number the JSON holds (as a double: exact up to 2^53, beyond any count or duration a run makes). */
  private static long figure(Map<?, ?> m, String name) {
    if (!(m.get(name) instanceof Number n)) {
      throw new IllegalArgumentException("run summary: " + name + " is missing or not a number");
    }
    return Math.round(n.doubleValue());
  }
}
