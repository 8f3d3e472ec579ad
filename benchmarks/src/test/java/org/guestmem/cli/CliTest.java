package org.guestmem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end: output, exit codes, and a one-line error for every kind of bad input. */
class CliTest {
  @TempDir
  Path dir;

  record Result(int code, String out, String err) {
    /** The error output, which must be exactly one line for bad input. */
    String errorLine() {
      assertEquals(1, err.lines().count(), "expected a one-line error, got: " + err);
      return err.strip();
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GuestmemCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs a bad command line: it exits with 2 and a one-line error containing {@code expected}. */
  static void assertRefused(String expected, String... args) {
    Result r = run(args);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.errorLine().contains(expected), r.err());
  }

  Path trace(String text) throws IOException {
    Path p = dir.resolve("t.trace");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void workloadsListsEveryNamedWorkloadOnALine() {
    Result r = run("workloads");
    assertEquals(0, r.code());
    assertEquals(6, r.out().lines().count(), r.out());
    for (String name : new String[] {"boot-swiotlb", "dynamic-dma", "hugepage-2m", "partial-split", "checkerboard",
        "virtio-mem-cvm"}) {
      assertTrue(r.out().lines().anyMatch(l -> l.startsWith(name + " ")), name + " missing: " + r.out());
    }
  }

  @Test
  void providersListsWhatServiceLoaderFinds() {
    Result r = run("providers");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("bitmap"), r.out());
    assertTrue(r.out().contains("org.guestmem.store.bitmap.BitmapStoreProvider"), r.out());
    assertTrue(r.out().contains("none"), r.out());
  }

  @Test
  void replayPrintsTheSummaryAndWritesJson() throws IOException {
    Path json = dir.resolve("out/run.json");
    Result r = run("replay", "--workload", "partial-split", "--size", "16G", "--ops", "50", "--dma", "none",
        "--verify", "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("conversions      100 operations"), r.out());
    assertTrue(r.out().contains("checked after every operation (101 checks)"), r.out());
    String text = Files.readString(json);
    assertTrue(text.contains("\"operations\": 100"), text);
    assertTrue(text.contains("\"workload\": \"partial-split\""), text);
    assertTrue(text.startsWith("{\n  \"schema\": \"guestmem-replay\",\n  \"schemaVersion\": 2,\n  \"tool\": \"guestmem "),
        text);
    assertTrue(text.contains("\"ops\": 100,") && text.contains("\"opsOption\": 50"), "ops as run: " + text);
    assertTrue(text.contains("\"cutCalls\": 0") && !text.contains("splitCalls"), "the table's word: " + text);
  }

  @Test
  void theDefaultOperationCountIsRecordedAsRun() throws IOException {
    Path json = dir.resolve("default.json");
    Result r = run("replay", "--workload", "partial-split", "--size", "1G", "--dma", "none", "--json",
        json.toString());
    assertEquals(0, r.code(), r.err());
    String text = Files.readString(json);
    assertTrue(text.contains("\"ops\": 4000,") && text.contains("\"opsOption\": 0"), text);
  }

  @Test
  void compareWritesTheMatrixJsonPngsAndASelfContainedPage() throws IOException {
    Path out = dir.resolve("report");
    Result r = run("compare", "--workload", "boot-swiotlb", "--size", "8G", "--stores", "bitmap", "--dmas", "none",
        "--repeats", "2", "--no-fork",
        "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("bitmap  none")), r.out());
    for (String f : new String[] {"compare.json", "memory.png", "entries.png", "latency.png", "report.html"}) {
      assertTrue(Files.size(out.resolve(f)) > 0, f);
    }
    String html = Files.readString(out.resolve("report.html"));
    assertEquals(3, html.split("src=\"data:image/png;base64,", -1).length - 1);
    assertFalse(html.contains("<script"), "the report must not need scripts");
    assertFalse(html.contains("http://") || html.contains("https://"), "the report must not fetch anything");
    assertTrue(r.out().contains("measured: 1 unmeasured warm-up round over every combination, then 2 measured rounds"),
        r.out());
    assertTrue(r.out().contains("Short run: 269 operations"), "a short run says its tail is noise: " + r.out());
    Map<?, ?> doc = (Map<?, ?>) org.guestmem.cli.report.JsonReader.parse(Files.readString(out.resolve("compare.json")));
    Map<?, ?> spread = (Map<?, ?>) ((Map<?, ?>) ((List<?>) doc.get("runs")).get(0)).get("spread");
    assertEquals(2.0, spread.get("repeats"));
    Map<?, ?> p50 = (Map<?, ?>) spread.get("latencyP50Nanos");
    assertTrue((Double) p50.get("min") <= (Double) p50.get("median") && (Double) p50.get("median") <= (Double) p50.get("max"),
        spread.toString());
    byte[] png = Files.readAllBytes(out.resolve("memory.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }

  /** The table's columns that are counts and sizes, the same on every run of a combination (not the timings). */
  private static List<String> countColumns(String table, String rowStart) {
    String row = table.lines().filter(l -> l.startsWith(rowStart)).findFirst().orElseThrow(() ->
        new AssertionError("no row " + rowStart + " in: " + table));
    List<String> cells = List.of(row.trim().split(" {2,}"));
    return cells.subList(0, 15);
  }

  @Test
  void compareMeasuresEveryRunInAFreshJvmWithTheSameFiguresAsInOne() throws IOException {
    String[] args = {"compare", "--workload", "boot-swiotlb", "--size", "4G", "--stores", "intervaltree,bitmap",
        "--dmas", "iommufd", "--mappings", "coalesce", "--repeats", "2", "--warmup-ops", "300"};
    Path forked = dir.resolve("forked");
    Result r = run(cat(args, new String[] {"--out", forked.toString()}));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("measured: 2 measured rounds, interleaved (each round runs every combination once); "
        + "every measured run in a fresh JVM, after unmeasured runs of the same combination there (at least 1 run "
        + "and 300 operations)"), r.out());
    Result inOne = run(cat(args, new String[] {"--no-fork", "--out", dir.resolve("one").toString()}));
    assertEquals(0, inOne.code(), inOne.err());
    for (String row : new String[] {"intervaltree  iommufd", "bitmap        iommufd"}) {
      assertEquals(countColumns(inOne.out(), row), countColumns(r.out(), row), "what a fresh JVM ran: " + r.out());
    }
    Map<?, ?> doc = (Map<?, ?>) org.guestmem.cli.report.JsonReader.parse(
        Files.readString(forked.resolve("compare.json")));
    assertEquals(Boolean.TRUE, doc.get("fork"));
    assertEquals(300.0, doc.get("warmupOps"));
    for (Object o : (List<?>) doc.get("runs")) {
      Map<?, ?> spread = (Map<?, ?>) ((Map<?, ?>) o).get("spread");
      assertEquals(2.0, spread.get("repeats"), o.toString());
      Map<?, ?> summary = (Map<?, ?>) ((Map<?, ?>) o).get("summary");
      assertTrue((Double) summary.get("storeBytesJol") > 0, "JOL measured in the first round's JVM: " + o);
      assertTrue((Double) summary.get("latencyP50Nanos") > 0, o.toString());
    }
  }

  @Test
  void aRunThatFailsInItsFreshJvmIsOneLineNamingTheCombination() throws IOException {
    Path t = trace("""
        ram_block_attributes_state_change offset 0x0 size 0x1000 from 'discarded' to 'populated'
        ram_block_attributes_state_change offset 0x0 size 4096 from 'populated' to 'discarded'
        """);
    Result r = run("compare", "--trace", t.toString(), "--size", "1G", "--stores", "bitmap", "--dmas", "none",
        "--repeats", "1", "--warmup-ops", "0", "--out", dir.resolve("r").toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("guestmem compare: bitmap/none/granule in a fresh JVM: t.trace:2: size '4096' is not a 0x-prefixed "
        + "hexadecimal number: 'ram_block_attributes_state_change offset 0x0 size 4096 from 'populated' to "
        + "'discarded''", r.errorLine());
  }

  @Test
  void compareRunsEveryBackEndAndPolicyAndShowsWhyACombinationCannotRun() throws IOException {
    Path out = dir.resolve("matrix");
    Result r = run("compare", "--workload", "boot-swiotlb", "--size", "8G", "--stores", "bitmap", "--repeats", "1",
        "--warmup", "0", "--no-fork", "--out",
        out.toString(), "--entry-limit", "strict");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.matches("bitmap +iommufd +granule +ok .*")), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("bitmap +iommufd +coalesce +ok .*")), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("bitmap +vfio-type1 +granule +n/a \\[\\d\\]")), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("bitmap +vfio-type1 +coalesce +n/a \\[\\d\\]")), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[") && l.contains("bitmap/vfio-type1/granule: ")
        && l.contains("2097152 DMA entries") && l.contains("vfio_iommu_type1.dma_entry_limit")
        && l.endsWith("--dma-option vfio-type1:dma-entry-limit=2097152")), r.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[") && l.contains("bitmap/vfio-type1/coalesce: ")
        && l.contains("type1v2 forbids bisecting unmaps")), r.out());
    String json = Files.readString(out.resolve("compare.json"));
    assertTrue(json.contains("type1v2 forbids bisecting unmaps"), json);
    assertTrue(json.contains("\"schema\": \"guestmem-compare\""), json);
    Map<?, ?> doc = (Map<?, ?>) org.guestmem.cli.report.JsonReader.parse(json);
    for (Object o : (List<?>) doc.get("runs")) {
      Map<?, ?> run = (Map<?, ?>) o;
      Map<?, ?> summary = (Map<?, ?>) run.get("summary");
      assertTrue(summary != null && summary.get("granularity") != null && summary.get("kernel") != null,
          "every row complete: " + run);
      assertEquals(!"ok".equals(run.get("status")), summary.containsKey("reason"), "a reason where it did not run: "
          + run);
    }
    String html = Files.readString(out.resolve("report.html"));
    assertEquals(1, html.split("type1v2 forbids bisecting unmaps", -1).length - 1, "the reason once, as a note");
    assertTrue(html.contains("n/a [2]"), "the cell points at its note");

    r = run("compare", "--workload", "boot-swiotlb", "--size", "8G", "--stores", "bitmap", "--dmas", "vfio-type1",
        "--repeats", "1", "--warmup", "0", "--no-fork",
        "--mappings", "granule", "--dma-option", "vfio-type1:dma-entry-limit=2097152", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("bitmap +vfio-type1 +granule +ok .*")), r.out());
  }

  @Test
  void replayOnABackEndChecksAfterEveryStepAndReportsTheDmaFigures() throws IOException {
    Path json = dir.resolve("dma.json");
    Result r = run("replay", "--workload", "dynamic-dma", "--size", "1G", "--ops", "300", "--dma", "iommufd",
        "--mapping", "coalesce", "--kernel", "embedded", "--verify", "--json", json.toString());
    assertEquals(0, r.code(), r.err());
    Matcher ops = Pattern.compile("conversions +(\\d+) operations").matcher(r.out());
    assertTrue(ops.find(), r.out());
    long n = Long.parseLong(ops.group(1));
    assertTrue(r.out().contains("checked after every operation (" + (n + 1) + " checks)"), r.out());
    assertTrue(r.out().contains("iommufd: embedded"), r.out());
    Matcher calls = Pattern.compile("map/unmap/cut +(\\d+) / (\\d+) / (\\d+)").matcher(r.out());
    assertTrue(calls.find(), r.out());
    assertTrue(Long.parseLong(calls.group(1)) > 0, r.out());
    assertTrue(Long.parseLong(calls.group(2)) + Long.parseLong(calls.group(3)) > 0, "dynamic-dma discards: " + r.out());
    String text = Files.readString(json);
    assertTrue(text.contains("HUGE_PAGES=0, compat IOAS set"), "coalesce on iommufd opens with cut=true: " + text);
    assertTrue(text.contains("\"peakPinnedBytes\""), text);
    Matcher dma = Pattern.compile("DMA bookkeeping +\\d[^(]* \\(JOL, Java heap\\), ([\\d,]+) run records")
        .matcher(r.out());
    assertTrue(dma.find(), r.out());
    long records = Long.parseLong(dma.group(1).replace(",", ""));
    assertTrue(records > 0 && records % 3 == 0, "the same runs in listener, ledger and model: " + r.out());
    assertTrue(text.contains("\"dmaBytesJol\""), text);
  }

  @Test
  void replayOverTheType1EntryLimitSaysHowToRaiseItAndRunsWhenRaised() {
    Result r = run("replay", "--workload", "boot-swiotlb", "--size", "1G", "--dma", "vfio-type1", "--mapping",
        "granule", "--kernel", "embedded", "--entry-limit", "strict");
    assertEquals(2, r.code());
    String line = r.errorLine();
    assertTrue(line.contains("may need 262144 DMA entries (one per granule) but vfio-type1 has 65535 left"), line);
    assertTrue(line.endsWith("--dma-option vfio-type1:dma-entry-limit=262144"), line);
    assertEquals("", r.out());
    r = run("replay", "--workload", "boot-swiotlb", "--size", "1G", "--dma", "vfio-type1", "--mapping", "granule",
        "--kernel", "embedded", "--dma-option", "vfio-type1:dma-entry-limit=262144");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("vfio-type1: embedded"), r.out());
  }

  @Test
  void onDemandTheConversionsPastTheType1LimitAreRefusedUndoneAndCounted() {
    // 16 GiB: the bounce buffer (6%, 983 MiB) needs 251,658 granule entries, type1 has 65,535.
    Result r = run("replay", "--workload", "boot-swiotlb", "--size", "16G", "--dma", "vfio-type1", "--mapping",
        "granule", "--kernel", "embedded");
    assertEquals(GuestmemCli.CONVERSIONS_REFUSED, r.code(), r.err() + r.out());
    Matcher refused = Pattern.compile("refused +(\\d+) conversions, each undone exactly").matcher(r.out());
    assertTrue(refused.find(), r.out());
    assertTrue(Long.parseLong(refused.group(1)) > 0, r.out());
    Matcher entries = Pattern.compile("DMA entries +peak (\\d+) final (\\d+)").matcher(r.out().replace(",", ""));
    assertTrue(entries.find(), r.out());
    assertTrue(Long.parseLong(entries.group(1)) <= 65_535, "never past the limit: " + r.out());
    assertTrue(Long.parseLong(entries.group(2)) > 60_000, "everything that fits is mapped: " + r.out());
    assertTrue(r.out().contains("mappings == populated runs, checked at the end"), r.out());

    Path out = dir.resolve("ondemand");
    r = run("compare", "--workload", "boot-swiotlb", "--size", "16G", "--stores", "bitmap", "--dmas", "vfio-type1",
        "--repeats", "1", "--warmup", "0", "--warmup-ops", "0",
        "--mappings", "granule", "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("bitmap +vfio-type1 +granule +ok +[\\d,]+ +[1-9][\\d,]* .*")),
        "the row runs (in a fresh JVM) and counts its refused conversions: " + r.out());
  }

  @Test
  void badDmaOptionsAreOneLineErrors() {
    assertRefused("unknown iommufd option [frob]", "replay", "--workload", "boot-swiotlb", "--size", "1G", "--dma",
        "iommufd", "--dma-option", "frob=1");
    assertRefused("unknown DMA back-end 'nope'", "replay", "--workload", "boot-swiotlb", "--size", "1G", "--dma",
        "iommufd", "--dma-option", "nope:frob=1");
    assertRefused("the kernel path is chosen with --kernel", "replay", "--workload", "boot-swiotlb", "--size", "1G",
        "--dma", "iommufd", "--dma-option", "kernel=real");
    assertRefused("dma-entry-limit='lots' must be a non-negative size or count", "replay", "--workload", "boot-swiotlb",
        "--size", "1G", "--dma", "vfio-type1", "--dma-option", "dma-entry-limit=lots");
  }

  // ---- bad input: one line on stderr, exit code 2, nothing run

  @Test
  void unknownWorkloadListsTheKnownOnes() {
    Result r = run("replay", "--workload", "nope", "--dma", "none");
    assertEquals(2, r.code());
    assertEquals("guestmem replay: unknown workload 'nope'; known: boot-swiotlb, dynamic-dma, hugepage-2m,"
        + " partial-split, checkerboard, virtio-mem-cvm", r.errorLine());
    assertEquals("", r.out());
  }

  @Test
  void unknownStoreAndBackEndListTheProvidersFound() {
    assertRefused("unknown state store 'nope'; found: bitmap", "replay", "--workload", "boot-swiotlb", "--store",
        "nope", "--dma", "none");
    assertRefused("unknown DMA back-end 'nope'", "compare", "--workload", "boot-swiotlb", "--dmas", "nope", "--out",
        dir.toString());
  }

  @Test
  void sizeNotAMultipleOfTheGranularity() {
    Result r = run("replay", "--workload", "boot-swiotlb", "--size", "1000000", "--dma", "none");
    assertEquals(2, r.code());
    assertEquals("guestmem replay: region size 0xf4240 is not a multiple of the granularity 0x1000",
        r.errorLine());
    assertRefused("must be a power of two and at least 4096", "compare", "--workload", "boot-swiotlb", "--size", "1G",
        "--granularity", "3K", "--out", dir.toString());
  }

  @Test
  void badSizeTextAndUnknownOptions() {
    assertRefused("size '12Q' is not a number", "replay", "--workload", "boot-swiotlb", "--size", "12Q");
    assertRefused("Unknown option: '--frobnicate'", "replay", "--workload", "boot-swiotlb", "--frobnicate");
    assertRefused("mutually exclusive", "replay", "--workload", "boot-swiotlb", "--trace", "x");
    assertRefused("--mapping 'sideways' must be one of granule, coalesce", "replay", "--workload",
        "boot-swiotlb", "--mapping", "sideways", "--dma", "none");
  }

  /** Files under the test's directory, to see that a refused command wrote nothing. */
  private List<Path> filesWritten() throws IOException {
    try (var s = Files.walk(dir)) {
      return s.sorted().toList();
    }
  }

  /**
   * Bad invocations that used to fail only after the run, or with a Java exception's name: each is refused before
   * any work (the 16 TiB checkerboard would run for minutes), in one line naming the flag as typed, and writes
   * nothing. The cases are in bad-invocations.txt, which benchmarks/scripts/time-bad-invocations.sh times through
   * {@code ./guestmem}.
   */
  @Test
  void badInvocationsAreRefusedBeforeAnyWorkInOneLineAndWriteNothing() throws IOException {
    Files.writeString(dir.resolve("a-file.txt"), "x");
    Files.createDirectories(dir.resolve("a-dir"));
    Files.write(dir.resolve("binary.trace"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
    Files.write(dir.resolve("latin1.trace"), "# caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    List<BadInvocation> cases = badInvocations(dir);
    assertTrue(cases.size() >= 18, "cases read: " + cases.size());
    List<Path> before = filesWritten();
    for (BadInvocation c : cases) {
      Result r = run(c.args());
      String command = String.join(" ", c.args());
      assertEquals(2, r.code(), command + ": " + r.err());
      assertTrue(r.errorLine().contains(c.expected()), command + ": expected '" + c.expected() + "' in: " + r.err());
      assertEquals("", r.out(), command);
      assertEquals(before, filesWritten(), command + " wrote a file");
    }
  }

  /** A command line that must be refused, and text its one-line error must contain. */
  record BadInvocation(String expected, String[] args) {}

  /** The cases of bad-invocations.txt, with TMP replaced by {@code tmp}. */
  static List<BadInvocation> badInvocations(Path tmp) throws IOException {
    List<BadInvocation> cases = new java.util.ArrayList<>();
    try (var in = CliTest.class.getResourceAsStream("bad-invocations.txt")) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.replace("TMP", tmp.toString()).split(" \\| ", 2);
        assertEquals(2, parts.length, "not '<expected> | <arguments>': " + line);
        cases.add(new BadInvocation(parts[0], parts[1].split(" ")));
      }
    }
    return cases;
  }

  private static String[] cat(String[] a, String[] b, String... c) {
    List<String> all = new java.util.ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    all.addAll(List.of(c));
    return all.toArray(new String[0]);
  }

  @Test
  void aDashMeansStandardOutputForJsonAndTraces() throws IOException {
    Result r = run("replay", "--workload", "partial-split", "--size", "1G", "--ops", "5", "--dma", "none", "--json",
        "-");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("{") && r.out().strip().endsWith("}"), "JSON only on stdout: " + r.out());
    assertTrue(r.out().contains("\"operations\": 10"), r.out());
    assertTrue(r.err().contains("conversions      10 operations"), "the text summary on stderr: " + r.err());
    assertFalse(Files.exists(Path.of("-")), "no file named -");

    r = run("trace", "--workload", "partial-split", "--size", "1G", "--ops", "3", "--out", "-");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("# guestmem-trace"), r.out());
    assertEquals(6, r.out().lines().filter(l -> l.contains("kvm_convert_memory")).count(), r.out());
    assertTrue(r.err().contains("wrote 6 operations"), r.err());
    assertFalse(Files.exists(Path.of("-")), "no file named -");
  }

  @Test
  void traceAddressOutsideTheRegionIsNamed() throws IOException {
    Path t = trace("""
        kvm_convert_memory start 0x100000000 size 0x1000 private_to_shared
        kvm_convert_memory start 0x140000000 size 0x1000 private_to_shared
        """);
    Result r = run("replay", "--trace", t.toString(), "--size", "1G", "--base", "0x100000000", "--dma", "none");
    assertEquals(2, r.code());
    assertEquals("guestmem replay: t.trace:2: start 0x140000000 size 0x1000 is outside the region"
        + " [0x100000000, 0x140000000): 'kvm_convert_memory start 0x140000000 size 0x1000 private_to_shared'",
        r.errorLine());
  }

  @Test
  void malformedTraceLineIsReportedWithItsNumberAndText() throws IOException {
    Path t = trace("""
        ram_block_attributes_state_change offset 0x0 size 0x1000 from 'discarded' to 'populated'
        ram_block_attributes_state_change offset 0x0 size 4096 from 'populated' to 'discarded'
        """);
    Result r = run("replay", "--trace", t.toString(), "--size", "1G", "--dma", "none");
    assertEquals(2, r.code());
    assertEquals("guestmem replay: t.trace:2: size '4096' is not a 0x-prefixed hexadecimal number:"
        + " 'ram_block_attributes_state_change offset 0x0 size 4096 from 'populated' to 'discarded''",
        r.errorLine());
  }

  @Test
  void strictModeFailsOnOtherLinesWhichLenientModeSkipsAndCounts() throws IOException {
    Path t = trace("""
        1@1.000000:vfio_listener_region_add_ram region_add [ram] 0x0 - 0x3fffffff [0x7f0000000000]
        1@1.000013:ram_block_attributes_state_change offset 0x0 size 0x1000 from 'discarded' to 'populated'
        """);
    Result lenient = run("replay", "--trace", t.toString(), "--size", "1G", "--dma", "none");
    assertEquals(0, lenient.code(), lenient.err());
    assertTrue(lenient.out().contains("1 operations (0 already in the target state, 1 other trace lines skipped)"),
        lenient.out());
    Result strict = run("replay", "--trace", t.toString(), "--size", "1G", "--dma", "none", "--strict");
    assertEquals(2, strict.code());
    assertTrue(strict.errorLine().startsWith("guestmem replay: t.trace:1: not a conversion event (strict mode"),
        strict.err());
  }

  @Test
  void misalignedTraceConversionNamesTheLineAndTheRule() throws IOException {
    Path t = trace("kvm_convert_memory start 0x800 size 0x1000 private_to_shared\n");
    Result r = run("replay", "--trace", t.toString(), "--size", "1G", "--dma", "none");
    assertEquals(2, r.code());
    assertEquals("guestmem replay: t.trace:1 'kvm_convert_memory start 0x800 size 0x1000 private_to_shared': "
        + "conversion offset 0x800 is not aligned to the granularity 0x1000", r.errorLine());
  }

  @Test
  void traceWithoutHeaderNeedsASizeAndAMissingFileIsNamed() throws IOException {
    Path t = trace("kvm_convert_memory start 0x0 size 0x1000 private_to_shared\n");
    assertRefused("--size is required", "replay", "--trace", t.toString(), "--dma", "none");
    assertRefused("missing.trace does not exist", "replay", "--trace", dir.resolve("missing.trace").toString(),
        "--size", "1G", "--dma", "none");
  }

  @Test
  void plugRequestsNeedAPlugSource() throws IOException {
    Path t = trace("virtio_mem_plug_request addr=0x0 nb_blocks=1\n");
    assertRefused("t.trace:1 'virtio_mem_plug_request addr=0x0 nb_blocks=1': plug needs a region with a plug source", "replay", "--trace", t.toString(), "--size",
        "1G", "--dma", "none");
    assertEquals(0, run("replay", "--trace", t.toString(), "--size", "1G", "--dma", "none", "--plug",
        "unplugged").code());
  }

  @Test
  void ramRunsOneRegionPerRangeBehindOneGuestMemoryMap() throws IOException {
    Result r = run("replay", "--workload", "dynamic-dma", "--ram", "0:2G,4G:4G", "--ops", "200", "--dma", "iommufd",
        "--mapping", "coalesce", "--verify", "--json", "-");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("guest RAM        2 regions at [0x0, 0x80000000), [0x100000000, 0x200000000)"),
        r.err());
    assertTrue(r.err().contains("size 6 GiB") || r.err().contains("size 6G"), r.err());
    assertTrue(r.out().contains("\"ram\": \"0x0:0x80000000,0x100000000:0x100000000\""), r.out());
    assertRefused("--ram '0:2G,4G': RAM range '4G' in '0:2G,4G' is not GPA:SIZE", "replay", "--workload",
        "dynamic-dma", "--ram", "0:2G,4G");
    assertRefused("--ram '0:2G,1G:2G': RAM [0x40000000, 0xc0000000) overlaps RAM [0x0, 0x80000000)", "replay",
        "--workload", "dynamic-dma", "--ram", "0:2G,1G:2G");
    assertRefused("drop --base", "replay", "--workload", "dynamic-dma", "--ram", "0:2G,4G:4G", "--base", "4G");
    assertRefused("drop --size", "replay", "--workload", "dynamic-dma", "--ram", "0:2G,4G:4G", "--size", "6G");
    Path t = trace("# guestmem-trace ram=0:2G,4G:4G\nkvm_convert_memory start 0x80000000 size 0x1000 "
        + "private_to_shared\n");
    assertRefused("0x80000000 is in no RAM range", "replay", "--trace", t.toString(), "--dma", "none");
  }

  /** A workload written as a trace of a guest around the hole replays to the same end state as the workload. */
  @Test
  void aTraceWrittenWithRamReplaysLikeTheWorkload() throws IOException {
    Path t = dir.resolve("hole.trace");
    Result w = run("trace", "--workload", "dynamic-dma", "--ram", "0:2G,4G:4G", "--ops", "400", "--out", t.toString());
    assertEquals(0, w.code(), w.err());
    String header = Files.readAllLines(t).get(0);
    assertTrue(header.contains(" ram=0x0:0x80000000,0x100000000:0x100000000") && !header.contains("base="), header);
    Result fromTrace = run("replay", "--trace", t.toString(), "--dma", "iommufd", "--verify");
    Result fromWorkload = run("replay", "--workload", "dynamic-dma", "--ram", "0:2G,4G:4G", "--ops", "400", "--dma",
        "iommufd", "--verify");
    assertEquals(0, fromTrace.code(), fromTrace.err());
    assertEquals(0, fromWorkload.code(), fromWorkload.err());
    assertEquals(line(fromWorkload.out(), "blocks changed"), line(fromTrace.out(), "blocks changed"));
    assertEquals(line(fromWorkload.out(), "DMA entries"), line(fromTrace.out(), "DMA entries"));
    assertRefused("drop --size", "trace", "--workload", "dynamic-dma", "--ram", "0:2G", "--size", "2G", "--out",
        dir.resolve("x.trace").toString());
    assertRefused("drop --base", "trace", "--workload", "dynamic-dma", "--ram", "0:2G", "--base", "0", "--out",
        dir.resolve("x.trace").toString());
  }

  /**
   * Without gcc the native peers cannot be built: the command still succeeds with the Java rows, and says what is
   * missing and the command that installs it, on stderr and in the table.
   */
  @Test
  void peersWithoutTheNativeToolsRunTheJavaRowsAndNameTheInstallCommand() throws IOException {
    String[] args = {"peers", "--data-sets", "none", "--workloads", "boot-swiotlb", "--size", "1G", "--ops", "100",
        "--warmup", "0", "--repeats", "1", "--out", dir.resolve("peers").toString()};
    picocli.CommandLine cli = GuestmemCli.commandLine(args);
    PeersCommand peers = (PeersCommand) cli.getSubcommands().get("peers").getCommand();
    peers.toolInstalled = tool -> !tool.equals("gcc");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GuestmemCli.execute(cli, args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    String reason = "gcc is not installed (apt-get install gcc make liburcu-dev xz-utils)";
    assertTrue(err.toString().contains("peers: native rows missing: " + reason), err.toString());
    assertTrue(out.toString().contains("boot-swiotlb: native peers missing: " + reason), out.toString());
    for (String store : new String[] {"bitmap", "intervaltree"}) {
      assertTrue(out.toString().lines().anyMatch(l -> l.matches("boot-swiotlb +" + store + " +[0-9].*")),
          store + " row missing: " + out);
    }
    assertFalse(out.toString().lines().anyMatch(l -> l.matches("boot-swiotlb +(maple|xarray|qemu-bitmap) .*")),
        out.toString());
    assertTrue(Files.isRegularFile(dir.resolve("peers/report.html")));
  }

  private static String line(String out, String label) {
    return out.lines().filter(l -> l.startsWith(label)).findFirst().orElseThrow(() -> new AssertionError(
        "no '" + label + "' line in: " + out));
  }
}
