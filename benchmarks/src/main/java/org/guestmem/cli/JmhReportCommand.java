package org.guestmem.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.guestmem.cli.report.JmhReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code guestmem jmh-report}: a JMH JSON result file as the same HTML/PNG report as {@code compare}. */
@Command(name = "jmh-report", mixinStandardHelpOptions = true,
    description = "Turns JMH JSON results (java -jar benchmarks/target/benchmarks.jar ... -rf json -rff FILE) into "
        + "report.html with one PNG chart per benchmark.")
final class JmhReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RESULTS.json", description = "a JMH JSON result file")
  Path results;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "jmh-report",
      description = "where the report goes; default ./jmh-report")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(results)) {
      throw new IllegalArgumentException("JMH result file " + results + " does not exist");
    }
    Path html = JmhReport.read(results).write(out);
    spec.commandLine().getOut().println("report: " + html.toAbsolutePath().normalize());
    return 0;
  }
}
