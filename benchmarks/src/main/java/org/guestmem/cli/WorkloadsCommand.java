package org.guestmem.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.guestmem.workload.Workload;
import org.guestmem.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code guestmem workloads}: the named workloads, a line each. */
@Command(name = "workloads", mixinStandardHelpOptions = true,
    description = "Lists the named workloads (deterministic from --seed, for any --size).")
final class WorkloadsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (Workload w : Workloads.all()) {
      out.printf("%-15s %s%n", w.name(), w.description());
    }
    return 0;
  }
}
