package org.guestmem.cli;

import org.guestmem.cli.replay.RunConfig;
import org.guestmem.config.GuestmemConfig;
import picocli.CommandLine.Option;

/** Options of the run itself, shared by {@code replay} and {@code compare}. */
final class CombinationOptions {
  @Option(names = "--kernel", paramLabel = "embedded|real|auto",
      description = "DMA kernel path: the embedded kernel model (default), the real ioctls, or real when the "
          + "device nodes exist")
  String kernel;

  @Option(names = "--verify", description = "check the mapping invariant after every operation (slow)")
  boolean verify;

  RunConfig config(InputOptions in, String store, String dma, String mapping) {
    String k = kernel != null ? kernel : System.getProperty(GuestmemConfig.DMA_KERNEL, "embedded");
    // The same rules as configuration files, with their messages.
    GuestmemConfig.builder().dmaKernel(k).mapping(mapping).granularity(in.granularity).build();
    return new RunConfig(in.workload(), in.trace(), in.base(), in.strict, in.regionSize(), in.granularity,
        in.seed, in.ops, in.plug, store, dma, k, mapping, verify);
  }
}
