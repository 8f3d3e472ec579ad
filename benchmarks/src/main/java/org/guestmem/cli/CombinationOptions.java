package org.guestmem.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.config.GuestmemConfig;
import org.guestmem.config.Providers;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.region.RegionLayout;
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

  @Option(names = "--verify", description = "check the mapping invariant after every operation, in the range the "
      + "operation touched (cost follows the runs there)")
  boolean verify;

  @Option(names = "--verify-every", paramLabel = "N", defaultValue = "0",
      description = "also check the whole region's invariant every N operations (0: only at the end, where it is "
          + "always checked)")
  long verifyEvery;

  @Option(names = "--dma-option", paramLabel = "[PROVIDER:]KEY=VALUE",
      description = "an option for the DMA provider, repeatable; PROVIDER: limits it to one back-end (for compare), "
          + "e.g. vfio-type1:dma-entry-limit=300000000 raises the embedded type1 model's entry limit")
  Map<String, String> dmaOptions = new LinkedHashMap<>();

  /**
   * The run these options and {@code in} describe, every value checked.
   *
   * @param mappingFlag the flag the mapping policy was typed with ({@code --mapping}, {@code --mappings}), or null
   *     if it came from the configuration
   * @throws IllegalArgumentException naming the flag (or the configuration key) and the rule
   */
  RunConfig config(InputOptions in, String store, String dma, String mapping, String mappingFlag) {
    String k = kernel != null ? kernel : System.getProperty(GuestmemConfig.DMA_KERNEL, "embedded");
    String limit = entryLimit != null ? entryLimit
        : System.getProperty(GuestmemConfig.ENTRY_LIMIT, EntryLimitPolicy.DEFAULT.configName());
    in.check();
    // The same rules as configuration files, with their messages, naming the flag the user typed.
    asTyped(kernel != null, "--kernel", GuestmemConfig.DMA_KERNEL, () -> GuestmemConfig.builder().dmaKernel(k).build());
    asTyped(mappingFlag != null, mappingFlag, GuestmemConfig.MAPPING,
        () -> GuestmemConfig.builder().mapping(mapping).build());
    asTyped(entryLimit != null, "--entry-limit", GuestmemConfig.ENTRY_LIMIT,
        () -> GuestmemConfig.builder().entryLimit(limit).build());
    if (in.granularity < RegionLayout.MIN_GRANULARITY || Long.bitCount(in.granularity) != 1) {
      throw new IllegalArgumentException("--granularity " + Units.size(in.granularity)
          + " must be a power of two and at least 4096 (4K)");
    }
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
        in.seed, in.ops, in.plug, store, dma, k, mapping, limit, verify, verifyEvery, dmaOptions, in.ram);
  }

  /** Runs {@code check}; its message names {@code flag} instead of the configuration key when the user typed it. */
  private static void asTyped(boolean typed, String flag, String key, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw typed ? new IllegalArgumentException(e.getMessage().replace(key, flag), e) : e;
    }
  }
}
