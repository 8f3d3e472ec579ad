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

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "guestmem-report",
      description = "where the report goes; default ./guestmem-report")
  Path out;

  @Spec
  CommandSpec spec;

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
    List<CompareReport.Row> rows = new ArrayList<>();
    try (ProgressBar bar = ProgressBar.onStderr("")) {
      int i = 0;
      for (RunConfig run : runs) {
        i++;
        bar.label("[" + i + "/" + runs.size() + "] " + run.combination());
        try {
          rows.add(new CompareReport.Row(run.store(), run.dma(), run.mapping(), ReplayRunner.run(run, bar), "ok"));
        } catch (UnsupportedCombination e) {
          rows.add(new CompareReport.Row(run.store(), run.dma(), run.mapping(), null, e.getMessage()));
        }
      }
    }
    CompareReport report = new CompareReport(base, rows);
    stdout.printf("guestmem compare: %s, size %s, granularity %s, kernel %s%n", base.inputName(),
        Units.size(base.size()), Units.size(base.granularity()), base.kernel());
    report.printTable(stdout);
    Path html = report.write(out);
    stdout.printf("report: %s (compare.json, memory.png, entries.png, latency.png alongside)%n",
        html.toAbsolutePath().normalize());
    return 0;
  }
}
