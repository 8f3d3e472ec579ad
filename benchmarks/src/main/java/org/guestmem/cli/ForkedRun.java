package org.guestmem.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.guestmem.cli.replay.ReplayRunner;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;
import org.guestmem.cli.replay.UnsupportedCombination;
import org.guestmem.cli.report.JsonReader;
import org.guestmem.cli.report.Summaries;

/**
 * One measured run of a combination in a fresh JVM ({@code guestmem measure-run} in a child process with this JVM's
 * class path and options), so that no combination's figures depend on what ran before it in the same JVM: the JIT's
 * profile of the shared code path, the heap's state, the collector's tuning.
 */
final class ForkedRun {
  private ForkedRun() {}

  /**
   * JVM options that must not reach a child: one flight recording, debugger port or class-data archive per command,
   * not one per run.
   */
  private static final List<String> PARENT_ONLY = List.of("-XX:StartFlightRecording", "-XX:+FlightRecorder",
      "-agentlib:jdwp", "-XX:ArchiveClassesAtExit", "-Xrunjdwp");

  /**
   * The command line of {@code measure-run} for {@code config}: every field of the configuration as an option, so
   * that the child parses back the same configuration (with the same checks).
   */
  static List<String> arguments(RunConfig config, int warmup, long warmupOps, boolean jol, Path result) {
    List<String> a = new ArrayList<>();
    a.add("measure-run");
    if (config.workload() != null) {
      a.add("--workload=" + config.workload());
    } else {
      a.add("--trace=" + config.trace());
    }
    if (config.strict()) {
      a.add("--strict");
    }
    config.base().ifPresent(b -> a.add("--base=0x" + Long.toHexString(b)));
    a.add("--size=" + config.size());
    a.add("--granularity=" + config.granularity());
    a.add("--seed=" + config.seed());
    a.add("--ops=" + config.ops());
    if (config.plug() != null) {
      a.add("--plug=" + config.plug());
    }
    a.add("--store=" + config.store());
    a.add("--dma=" + config.dma());
    a.add("--mapping=" + config.mapping());
    a.add("--kernel=" + config.kernel());
    a.add("--entry-limit=" + config.entryLimit());
    if (config.verify()) {
      a.add("--verify");
    }
    a.add("--verify-every=" + config.verifyEvery());
    config.dmaOptions().forEach((k, v) -> a.add("--dma-option=" + k + "=" + v));
    a.add("--warmup=" + warmup);
    a.add("--warmup-ops=" + warmupOps);
    if (jol) {
      a.add("--jol");
    }
    a.add("--result=" + result);
    return a;
  }

  /** The java launcher, options and class path of this JVM, for a child that runs the same code the same way. */
  static List<String> javaCommand() {
    List<String> c = new ArrayList<>();
    c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (PARENT_ONLY.stream().noneMatch(option::startsWith)) {
        c.add(option);
      }
    }
    c.add("-cp");
    c.add(System.getProperty("java.class.path"));
    c.add(GuestmemCli.class.getName());
    return c;
  }

  /**
   * Runs {@code config} in a fresh JVM: unmeasured runs (at least {@code warmup}, and until they have
   * replayed {@code warmupOps} operations), then the measured one, whose summary is returned (with the JOL figures if {@code jol},
   * else -1 for them). {@code progress} hears the runs' progress, the unmeasured ones included, as they report it.
   * The child's log lines go to standard error unless {@code logged} holds them already (they are added to it).
   *
   * @throws UnsupportedCombination if the combination cannot run by design
   * @throws IllegalArgumentException with the child's message, if it refused the input (exit code 2)
   * @throws IllegalStateException with the child's message, if the run failed there
   */
  static RunSummary run(RunConfig config, int warmup, long warmupOps, boolean jol,
      ReplayRunner.Progress progress, Set<String> logged) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("guestmem-run");
      Path result = dir.resolve("result.json");
      Path err = dir.resolve("stderr.txt");
      List<String> command = javaCommand();
      command.addAll(arguments(config, warmup, warmupOps, jol, result));
      Process child = new ProcessBuilder(command).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice())).start();
      // Interrupted (Ctrl-C, kill), this JVM takes its child with it.
      Thread reaper = new Thread(child::destroyForcibly, "guestmem-measure-run-reaper");
      Runtime.getRuntime().addShutdownHook(reaper);
      int code;
      try {
        readProgress(child, progress);
        code = child.waitFor();
      } finally {
        // whatever went wrong here (an Error included), no child is left running
        if (child.isAlive()) {
          child.destroyForcibly();
        }
        try {
          Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
          // the hook runs anyway
        }
      }
      if (code != 0 || !Files.exists(result)) {
        String what = config.combination() + " in a fresh JVM: " + lastLine(err);
        if (code == GuestmemCli.BAD_INPUT) {
          throw new IllegalArgumentException(what);
        }
        throw new IllegalStateException(what + " (exit code " + code + ")");
      }
      // What the child logged (a kernel path's fallback, an entry-limit warning) reaches the user, once: every
      // warm-up run logs it again.
      for (String line : Files.readAllLines(err)) {
        if (!line.isBlank() && logged.add(line)) {
          System.err.println(line);
        }
      }
      Map<?, ?> doc = (Map<?, ?>) JsonReader.parse(Files.readString(result));
      if (!"ok".equals(doc.get("status"))) {
        throw new UnsupportedCombination(String.valueOf(doc.get("status")), null);
      }
      return Summaries.fromMap(config, (Map<?, ?>) doc.get("summary"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + config.combination() + " in a fresh JVM: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + config.combination() + " ran in a fresh JVM", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Passes the child's {@code progress DONE TOTAL} lines on to {@code progress} until the child closes its output. */
  private static void readProgress(Process child, ReplayRunner.Progress progress) throws IOException {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        String[] f = line.split(" ");
        if (f.length == 3 && f[0].equals(MeasureRunCommand.PROGRESS)) {
          progress.update(Long.parseLong(f[1]), Long.parseLong(f[2]));
        }
      }
    }
  }

  /** The child's last line of error output without its command prefix ("guestmem measure-run: "). */
  private static String lastLine(Path err) throws IOException {
    List<String> lines = Files.exists(err) ? Files.readAllLines(err) : List.of();
    String last = "";
    for (String l : lines) {
      if (!l.isBlank()) {
        last = l.strip();
      }
    }
    String prefix = "guestmem measure-run: ";
    return last.isEmpty() ? "no error output" : last.startsWith(prefix) ? last.substring(prefix.length()) : last;
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // a temporary file left behind is not worth failing the comparison for
    }
  }
}
