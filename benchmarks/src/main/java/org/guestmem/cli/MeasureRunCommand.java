package org.guestmem.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.guestmem.cli.replay.ReplayRunner;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;
import org.guestmem.cli.replay.UnsupportedCombination;
import org.guestmem.cli.report.Json;
import org.guestmem.cli.report.Summaries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code guestmem measure-run} (hidden): what {@code compare} runs in a fresh JVM for one combination and round.
 * Replays the combination unmeasured (at least {@code --warmup} times and {@code --warmup-ops} operations), then
 * once measured, and writes the measured run's
 * summary (or why the combination cannot run) as JSON to {@code --result}; standard output carries
 * {@value #PROGRESS} lines for the parent's progress display.
 */
@Command(name = "measure-run", hidden = true,
    description = "One combination measured in this JVM, for compare's fresh JVM per run (not for direct use).")
final class MeasureRunCommand implements Callable<Integer> {
  /** The start of a progress line on standard output: {@code progress DONE TOTAL}. */
  static final String PROGRESS = "progress";

  @Mixin
  InputOptions input = new InputOptions();

  @Mixin
  CombinationOptions combination = new CombinationOptions();

  @Option(names = "--store", required = true)
  String store;

  @Option(names = "--dma", required = true)
  String dma;

  @Option(names = "--mapping", required = true)
  String mapping;

  @Option(names = "--warmup", defaultValue = "0")
  int warmup;

  @Option(names = "--warmup-ops", defaultValue = "0")
  long warmupOps;

  @Option(names = "--jol", description = "measure the store and the DMA bookkeeping with JOL after the run")
  boolean jol;

  @Option(names = "--result", required = true)
  Path result;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Outputs.checkFile("--result", result);
    RunConfig config = combination.config(input, store, dma, mapping, "--mapping");
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", "guestmem-measure-run");
    try {
      ReplayRunner.Progress progress = (done, total) -> {
        out.println(PROGRESS + " " + done + " " + total);
        out.flush();
      };
      long warmedOps = 0;
      for (int i = 0; i < warmup || warmedOps < warmupOps; i++) {
        System.gc(); // each run starts without the garbage of the one before, as in compare's own JVM
        long ops = ReplayRunner.run(config, progress, (region, d) -> {}, false).operations();
        if (ops == 0) {
          break; // an input without operations warms nothing however often it runs
        }
        warmedOps += ops;
      }
      System.gc();
      RunSummary measured = ReplayRunner.run(config, progress, (region, d) -> {}, jol);
      doc.put("status", "ok");
      doc.put("summary", Summaries.toMap(measured));
    } catch (UnsupportedCombination e) {
      doc.put("status", e.getMessage());
    }
    Files.writeString(result, Json.write(doc));
    return 0;
  }
}
