package org.guestmem.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.guestmem.config.Providers;
import org.guestmem.spi.DmaBackendProvider;
import org.guestmem.spi.StateStoreProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code guestmem providers}: what ServiceLoader finds, third-party jars on the class path included. */
@Command(name = "providers", mixinStandardHelpOptions = true,
    description = "Lists the state stores and DMA back-ends ServiceLoader finds on the class path (add your own jar "
        + "with: java -cp guestmem.jar:my-store.jar org.guestmem.cli.GuestmemCli providers).")
final class ProvidersCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, StateStoreProvider> stores = Providers.stateStores();
    Map<String, DmaBackendProvider> dmas = Providers.dmaBackends();
    out.println("state stores:");
    if (stores.isEmpty()) {
      out.println("  (none)");
    }
    stores.forEach((name, p) -> out.printf("  %-14s %s (%s)%n", name, p.getClass().getName(), where(p.getClass())));
    out.println("DMA back-ends:");
    dmas.forEach((name, p) -> out.printf("  %-14s %s (%s)%n", name, p.getClass().getName(), where(p.getClass())));
    out.printf("  %-14s no back-end: the listener's populated view only (built in)%n", "none");
    return 0;
  }

  private static String where(Class<?> c) {
    var source = c.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "class path";
    }
    String path = source.getLocation().getPath();
    return path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
  }
}
