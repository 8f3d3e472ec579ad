package org.guestmem.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.config.GuestmemConfig;
import org.guestmem.config.Providers;
import org.guestmem.dma.EntryLimitPolicy;
import picocli.CommandLine.Option;

/** Options of the run itself, shared by {@code replay} and {@code compare}. */
final class CombinationOptions {
  @Option(names = "--kernel", paramLabel = "embedded|real|auto",
      description = "DMA kernel path: the embedded kernel model (default), the real ioctls, or real when the "
          + "device nodes exist")
  String kernel;

  @Option(names = "--entry-limit", paramLabel = "strict|on-demand",
      description = "when the back-end may run out of DMA entries (type1's dma_entry_limit): refuse the run up front "
          + "(strict), or map on demand and refuse, undo and count the conversions past the limit (on-demand, "
          + "QEMU's behaviour); default guestmem.dma.entry-limit or on-demand")
  String entryLimit;

  @Option(names = "--verify", description = "check the mapping invariant after every operation (slow)")
  boolean verify;

  @Option(names = "--dma-option", paramLabel = "[PROVIDER:]KEY=VALUE",
      description = "an option for the DMA provider, repeatable; PROVIDER: limits it to one back-end (for compare), "
          + "e.g. vfio-type1:dma-entry-limit=300000000 raises the embedded type1 model's entry limit")
  Map<String, String> dmaOptions = new LinkedHashMap<>();

  RunConfig config(InputOptions in, String store, String dma, String mapping) {
    String k = kernel != null ? kernel : System.getProperty(GuestmemConfig.DMA_KERNEL, "embedded");
    String limit = entryLimit != null ? entryLimit
        : System.getProperty(GuestmemConfig.ENTRY_LIMIT, EntryLimitPolicy.DEFAULT.configName());
    // The same rules as configuration files, with their messages.
    GuestmemConfig.builder().dmaKernel(k).mapping(mapping).entryLimit(limit).granularity(in.granularity).build();
    for (String key : dmaOptions.keySet()) {
      int colon = key.indexOf(':');
      if (colon == 0 || colon == key.length() - 1) {
        throw new IllegalArgumentException("--dma-option '" + key + "' must be KEY=VALUE or PROVIDER:KEY=VALUE");
      }
      if (colon > 0) {
        Providers.dmaBackend(key.substring(0, colon)); // names the providers found when there is no such one
      }
    }
    return new RunConfig(in.workload(), in.trace(), in.base(), in.strict, in.regionSize(), in.granularity,
        in.seed, in.ops, in.plug, store, dma, k, mapping, limit, verify, dmaOptions);
  }
}
