package org.guestmem.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.guestmem.cli.replay.DmaPaths;
import org.guestmem.cli.replay.ReplayRunner;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;
import org.guestmem.cli.replay.UnsupportedCombination;
import org.guestmem.cli.report.CompareReport;
import org.guestmem.config.Providers;
import org.guestmem.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code guestmem compare}: every store x back-end x policy on one input, as a table, JSON and an HTML report. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Replays one workload or trace through every state store x DMA back-end x mapping policy and "
        + "prints the matrix; writes compare.json, memory/entries/latency PNGs and a self-contained report.html.",
        "A combination a back-end cannot do (coalesce on type1) is shown with the reason instead of figures."})
final class CompareCommand implements Callable<Integer> {
  @Mixin
  InputOptions input = new InputOptions();

  @Mixin
  CombinationOptions combination = new CombinationOptions();

  @Option(names = "--stores", split = ",", paramLabel = "NAME", description = "state stores; default: all found")
  List<String> stores;

  @Option(names = "--dmas", split = ",", paramLabel = "NAME",
      description = "DMA back-ends (none = listener view only); default: all found, or none if there is no back-end")
  List<String> dmas;

  @Option(names = "--mappings", split = ",", paramLabel = "POLICY", defaultValue = "granule,coalesce",
      description = "mapping policies; default granule,coalesce")
  List<String> mappings;

  @Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
      description = "measured runs of every combination, interleaved; the table shows the median and the charts and "
          + "JSON the spread (min, median, max); default 5")
  int repeats;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "1",
      description = "unmeasured runs before the measured ones, so that none pays the JIT's warm-up: with --fork, "
          + "of the same combination in its fresh JVM before each measured run; with --no-fork, rounds over every "
          + "combination before the measured rounds; default 1")
  int warmup;

  @Option(names = "--warmup-ops", paramLabel = "N", defaultValue = "100000",
      description = "with --fork, the unmeasured runs in each fresh JVM go on until they have replayed this many "
          + "operations (and at least --warmup runs), so that short runs too are measured on code the JIT has "
          + "compiled; default 100000")
  long warmupOps;

  @Option(names = "--fork", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "run every measured run in a fresh JVM (same class path and JVM options), so that no "
          + "combination's figures depend on which ran before it in the same JVM; --no-fork measures all in this "
          + "JVM; default --fork")
  boolean fork;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "guestmem-report",
      description = "where the report goes; default ./guestmem-report")
  Path out;

  @Spec
  CommandSpec spec;

  static final int MAX_REPEATS = 100;

  /** One run of a combination, measured or not; {@code jol} asks for the JOL figures after it. */
  @FunctionalInterface
  private interface OneRun {
    RunSummary run(RunConfig run, boolean jol, ReplayRunner.Progress progress);
  }

  /**
   * Every combination measured the same way, in rounds: each round runs every combination once, in the order given,
   * so that drift on a shared machine (other jobs, thermal limits) falls on all combinations alike instead of on
   * whichever ran last. With {@link #fork} every measured run is a fresh JVM that first replays the same combination
   * unmeasured, at least {@link #warmup} times and for at least {@link #warmupOps} operations: no combination inherits the
   * JIT profile, heap or collector state another left behind, and short runs too are measured on compiled code. Without it, {@link #warmup} unmeasured rounds over all combinations come first in this JVM, so that
   * none is measured on a colder JIT than another. The store and DMA bookkeeping are measured by JOL in the first
   * measured round only: they do not vary between runs.
   */
  private List<CompareReport.Row> measure(List<RunConfig> runs) {
    java.util.Set<String> logged = new java.util.HashSet<>();
    OneRun oneRun = fork
        ? (run, jol, bar) -> ForkedRun.run(run, warmup, warmupOps, jol, bar, logged)
        : (run, jol, bar) -> {
          System.gc(); // each run starts without the garbage of the one before
          return ReplayRunner.run(run, bar, (region, dma) -> {}, jol);
        };
    int unmeasured = fork ? 0 : warmup;
    int n = runs.size();
    String[] refused = new String[n];
    List<List<RunSummary>> measured = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      measured.add(new ArrayList<>());
    }
    long planned = (long) n * (unmeasured + repeats);
    long[] finished = {0};
    // The display counts the matrix's runs; a run's own reports only make it redraw (and show it is alive).
    try (ProgressBar bar = ProgressBar.onStderr("")) {
      for (int round = 0; round < unmeasured + repeats; round++) {
        boolean warm = round < unmeasured;
        String phase = warm ? "warm-up " + (round + 1) + "/" + unmeasured
            : "run " + (round - unmeasured + 1) + "/" + repeats;
        for (int i = 0; i < n; i++) {
          if (refused[i] != null) {
            continue;
          }
          RunConfig run = runs.get(i);
          bar.label("[" + phase + ", " + (i + 1) + "/" + n + (fork ? ", fresh JVM" : "") + "] "
              + run.combination());
          try {
            RunSummary summary = oneRun.run(run, !warm && round == unmeasured,
                (done, total) -> bar.update(finished[0], planned));
            if (!warm) {
              measured.get(i).add(summary);
            }
          } catch (UnsupportedCombination e) {
            refused[i] = e.getMessage();
            finished[0] += unmeasured + repeats - round - 1; // its later rounds will not run
          }
          bar.update(++finished[0], planned);
        }
      }
    }
    List<CompareReport.Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      RunConfig run = runs.get(i);
      rows.add(refused[i] != null
          ? new CompareReport.Row(run.store(), run.dma(), run.mapping(), null, refused[i])
          : new CompareReport.Row(run.store(), run.dma(), run.mapping(), measured.get(i)));
    }
    return rows;
  }

  /**
   * The names given with {@code flag}, which must be at least one and none empty ({@code --stores ,} splits into
   * none).
   */
  static List<String> names(String flag, List<String> given) {
    if (given.isEmpty() || given.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException(flag + " must name one or more, separated by commas, none empty");
    }
    return given;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    Outputs.checkDirectory("--out", out);
    if (repeats < 1 || repeats > MAX_REPEATS) {
      throw new IllegalArgumentException("--repeats " + repeats + " must be between 1 and " + MAX_REPEATS);
    }
    if (warmupOps < 0 || warmupOps > InputOptions.MAX_OPS) {
      throw new IllegalArgumentException("--warmup-ops " + warmupOps + " must be between 0 and "
          + Units.count(InputOptions.MAX_OPS));
    }
    if (warmup < 0 || warmup > MAX_REPEATS) {
      throw new IllegalArgumentException("--warmup " + warmup + " must be between 0 and " + MAX_REPEATS);
    }
    List<String> storeNames = stores != null ? names("--stores", stores)
        : new ArrayList<>(Providers.stateStores().keySet());
    List<String> dmaNames = dmas != null ? names("--dmas", dmas) : new ArrayList<>(Providers.dmaBackends().keySet());
    names("--mappings", mappings);
    if (dmaNames.isEmpty()) {
      dmaNames = List.of(DmaPaths.NONE);
    }
    // Bad input fails before anything runs.
    if (input.workload() != null) {
      Workloads.named(input.workload());
    }
    storeNames.forEach(Providers::stateStore);
    for (String d : dmaNames) {
      if (!d.equals(DmaPaths.NONE)) {
        Providers.dmaBackend(d);
      }
    }
    RunConfig base = combination.config(input, storeNames.get(0), dmaNames.get(0), mappings.get(0), "--mappings");
    for (String m : mappings) {
      combination.config(input, storeNames.get(0), dmaNames.get(0), m, "--mappings");
    }

    List<RunConfig> runs = new ArrayList<>();
    for (String s : storeNames) {
      for (String d : dmaNames) {
        if (d.equals(DmaPaths.NONE)) {
          runs.add(base.with(s, d, mappings.get(0)));
          continue;
        }
        for (String m : mappings) {
          runs.add(base.with(s, d, m));
        }
      }
    }
    CompareReport report = new CompareReport(base, measure(runs),
        new CompareReport.Method(fork, warmup, fork ? warmupOps : 0));
    stdout.printf("guestmem compare: %s, size %s, granularity %s, kernel %s%n", base.inputName(),
        Units.size(base.size()), Units.size(base.granularity()), base.kernel());
    report.printTable(stdout);
    Path html = report.write(out);
    stdout.printf("report: %s (compare.json, memory.png, entries.png, latency.png alongside)%n",
        html.toAbsolutePath().normalize());
    return 0;
  }
}
