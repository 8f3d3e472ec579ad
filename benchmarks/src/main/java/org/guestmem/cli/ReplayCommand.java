package org.guestmem.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.guestmem.cli.replay.ReplayRunner;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;
import org.guestmem.cli.report.Json;
import org.guestmem.cli.report.Summaries;
import org.guestmem.config.GuestmemConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code guestmem replay}: one combination, one summary. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Replays a workload or a QEMU trace through the attribute manager, the DMA mapping listener and a "
        + "back-end, and prints what it did and cost.",
        "The mapping invariant (mappings == populated runs) is checked at the end, and after every operation with "
            + "--verify."})
final class ReplayCommand implements Callable<Integer> {
  @Mixin
  InputOptions input = new InputOptions();

  @Mixin
  CombinationOptions combination = new CombinationOptions();

  @Option(names = "--store", paramLabel = "NAME", description = "state store (see 'guestmem providers'); default "
      + "guestmem.store or bitmap")
  String store;

  @Option(names = "--dma", paramLabel = "NAME", description = "DMA back-end, or none; default guestmem.dma or "
      + "iommufd")
  String dma;

  @Option(names = "--mapping", paramLabel = "granule|coalesce", description = "DMA mapping policy; default "
      + "guestmem.mapping or granule")
  String mapping;

  @Option(names = "--json", paramLabel = "OUT", description = "also write the summary as JSON to OUT; - for standard "
      + "output (the text summary then goes to standard error)")
  Path json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (json != null) {
      Outputs.checkFile("--json", json);
    }
    GuestmemConfig defaults = GuestmemConfig.fromSystemProperties();
    RunConfig config = combination.config(input,
        store != null ? store : defaults.store(),
        dma != null ? dma : defaults.dma(),
        mapping != null ? mapping : defaults.mapping().configName(), mapping != null ? "--mapping" : null);
    RunSummary summary;
    try (ProgressBar bar = ProgressBar.onStderr(config.inputName() + " " + config.combination())) {
      summary = ReplayRunner.run(config, bar);
    }
    boolean jsonToStdout = Outputs.isStdout(json);
    // With the JSON on standard output the text goes to standard error, so that a pipe gets JSON only.
    java.io.PrintWriter text = jsonToStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
    Summaries.print(summary, new java.io.PrintStream(new WriterOutputStream(text), true));
    if (jsonToStdout) {
      spec.commandLine().getOut().print(Json.write(Summaries.toDocument(summary)));
      spec.commandLine().getOut().flush();
    } else if (json != null) {
      Path parent = json.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(json, Json.write(Summaries.toDocument(summary)));
    }
    return summary.refusedConversions() > 0 ? GuestmemCli.CONVERSIONS_REFUSED : 0;
  }
}
