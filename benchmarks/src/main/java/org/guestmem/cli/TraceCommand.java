package org.guestmem.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.guestmem.config.Providers;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.AttributeManagerBuilder;
import org.guestmem.region.RamLayout;
import org.guestmem.region.RegionLayout;
import org.guestmem.trace.TraceReader;
import org.guestmem.trace.TraceWriter;
import org.guestmem.workload.Workload;
import org.guestmem.workload.WorkloadSpec;
import org.guestmem.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code guestmem trace}: writes a named workload as a QEMU trace-event log that {@code replay --trace} reads. */
@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Writes a workload as a QEMU trace-event log (kvm_convert_memory, "
        + "ram_block_attributes_state_change and virtio_mem request lines, log back-end format), with a guestmem "
        + "header giving the region, so that 'guestmem replay --trace FILE' replays it without further options.")
final class TraceCommand implements Callable<Integer> {
  @Option(names = "--workload", paramLabel = "NAME", required = true, description = "the workload")
  String workload;

  @Option(names = "--size", paramLabel = "SIZE", converter = InputOptions.SizeConverter.class,
      description = "region size (or --ram)")
  Long size;

  @Option(names = "--ram", paramLabel = "GPA:SIZE,...", converter = InputOptions.RamConverter.class,
      description = "a guest with several RAM ranges, e.g. 0:2G,4G:4G: the workload runs in RAM offsets (the ranges "
          + "one after the other) and guest-physical events are written at the ranges' addresses; instead of --size "
          + "and --base")
  RamLayout ram;

  @Option(names = "--granularity", paramLabel = "SIZE", defaultValue = "4K",
      converter = InputOptions.SizeConverter.class, description = "block size; default 4K")
  long granularity;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed; default 1")
  long seed;

  @Option(names = "--ops", paramLabel = "N", defaultValue = "0", description = "operations (0: the default)")
  long ops;

  @Option(names = "--base", paramLabel = "ADDR", defaultValue = "0x100000000",
      converter = InputOptions.SizeConverter.class,
      description = "guest-physical address of offset 0; default 0x100000000 (RAM above 4 GiB)")
  long base;

  @Option(names = "--events", paramLabel = "KVM|STATE_CHANGE|BOTH", defaultValue = "BOTH",
      description = "which conversion events to write; default BOTH, as QEMU logs with both trace points on")
  TraceWriter.Events events;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "the trace file to write; - for standard output")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Outputs.checkFile("--out", out);
    InputOptions.checkOps(ops);
    if ((size == null) == (ram == null)) {
      throw new IllegalArgumentException(ram == null ? "give the region's --size, or the guest's RAM with --ram"
          : "--ram " + ram.format() + " gives the size: drop --size");
    }
    if (ram != null && spec.commandLine().getParseResult().hasMatchedOption("--base")) {
      throw new IllegalArgumentException("--ram " + ram.format() + " gives every range's address: drop --base");
    }
    long size = ram != null ? ram.size() : this.size;
    Workload w = Workloads.named(workload);
    WorkloadSpec ws = new WorkloadSpec(size, granularity, seed, ops);
    AttributeManagerBuilder b = AttributeManager.builder().layout(new RegionLayout(size, granularity, base, 0))
        .store(Providers.stateStore("bitmap"));
    if (w.usesPlugSource()) {
      b.plugSource(false);
    }
    AttributeManager region = b.build();
    Map<String, String> header = new LinkedHashMap<>();
    header.put("size", "0x" + Long.toHexString(size));
    header.put("granularity", "0x" + Long.toHexString(granularity));
    if (ram != null) {
      header.put("ram", ram.format());
    } else {
      header.put("base", "0x" + Long.toHexString(base));
    }
    header.put("plug", w.usesPlugSource() ? "unplugged" : "none");
    header.put("workload", w.name());
    header.put("seed", Long.toString(seed));
    header.put("ops", Long.toString(ops));
    boolean toStdout = Outputs.isStdout(out);
    if (!toStdout) {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    }
    long n;
    long lines;
    try (BufferedWriter writer = toStdout
        ? new BufferedWriter(new java.io.OutputStreamWriter(new WriterOutputStream(spec.commandLine().getOut()),
            StandardCharsets.UTF_8))
        : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      TraceWriter tw = ram != null
          ? new TraceWriter(writer, ram, events, TraceReader.Options.DEFAULT_PLUG_BLOCK_SIZE)
          : new TraceWriter(writer, base, events, TraceReader.Options.DEFAULT_PLUG_BLOCK_SIZE);
      tw.header(header);
      n = tw.write(w.ops(ws), region);
      lines = tw.lines();
    }
    // The trace itself may be on standard output: the count goes to standard error then.
    (toStdout ? spec.commandLine().getErr() : spec.commandLine().getOut()).printf(
        "wrote %s operations as %s lines to %s%n", Units.count(n), Units.count(lines),
        toStdout ? "standard output" : out);
    return 0;
  }
}
