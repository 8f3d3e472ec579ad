package org.guestmem.cli.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.guestmem.config.Providers;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.AttributeManagerBuilder;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionException;
import org.guestmem.region.ConversionResult;
import org.guestmem.region.GuestMemoryMap;
import org.guestmem.region.RamLayout;
import org.guestmem.region.RegionLayout;
import org.guestmem.region.Source;
import org.guestmem.trace.TraceHeader;
import org.guestmem.trace.TraceReader;
import org.guestmem.workload.OpKind;
import org.guestmem.workload.OpStream;
import org.guestmem.workload.Workload;
import org.guestmem.workload.WorkloadSpec;
import org.guestmem.workload.Workloads;
import org.openjdk.jol.info.GraphLayout;

/**
 * Replays a workload or a QEMU trace through the real path: an {@link AttributeManager} on the chosen store, the DMA
 * mapping listener over the chosen back-end, timing every conversion and checking the mapping invariant at the end
 * (and after every operation with {@link RunConfig#verify()}).
 */
public final class ReplayRunner {
  /**
   * The user-space address the region's shared backing is taken to start at (the vaddr of DMA maps) on the embedded
   * kernel models; a real kernel gets a real anonymous mapping instead.
   */
  public static final long HOST_ADDRESS = 0x2000_0000_0000L;

  /** Told how far a run is; {@code total} is an estimate in the same unit, or -1 if unknown. */
  @FunctionalInterface
  public interface Progress {
    void update(long done, long total);

    Progress NONE = (done, total) -> {};
  }

  private ReplayRunner() {}

  /**
   * Runs {@code config}.
   *
   * @throws IllegalArgumentException for bad input (unknown names, a size that is not a multiple of the granularity,
   *     a bad or out-of-region trace line, an operation that does not fit the region), naming the value and rule
   * @throws InvariantViolation if mappings and populated runs disagree
   */
  public static RunSummary run(RunConfig config, Progress progress) {
    return run(config, progress, (region, dma) -> {});
  }

  /** Sees the region and what the DMA path holds at the end of a run, before the back-end is closed. */
  @FunctionalInterface
  public interface EndState {
    void accept(AttributeManager region, DmaPath dma);
  }

  /** As {@link #run(RunConfig, Progress)}, showing the end state to {@code end} (tests compare runs with it). */
  public static RunSummary run(RunConfig config, Progress progress, EndState end) {
    return run(config, progress, end, true);
  }

  /**
   * As {@link #run(RunConfig, Progress, EndState)}; without {@code measureStore} the JOL walk is skipped (benchmarks
   * time the replay, not the measurement) and the summary's JOL figure is -1.
   */
  public static RunSummary run(RunConfig config, Progress progress, EndState end, boolean measureStore) {
    Input input = Input.open(config);
    if (input.ram != null && config.ram() == null) {
      config = config.withRam(input.ram);
    }
    LatencyHistogram latency = new LatencyHistogram();
    try (OpStream ops = input.ops; HostMemory host = new HostMemory(); DmaPath dma = DmaPaths.open(config.dma(),
        config.mapping(), config.entryLimit(), config.dmaOptionsFor(config.dma()))) {
      Guest guest = Guest.build(config, input, host.back(dma.realKernel(), config.size()));
      for (AttributeManager region : guest.regions) {
        dma.attach(region);
      }
      long unchanged = 0;
      long blocks = 0;
      long runs = 0;
      long notifications = 0;
      long verified = 0;
      long verifiedWhole = 0;
      long refused = 0;
      long loopNanos = 0;
      long lastProgress = System.nanoTime();
      long[] changed = new long[3];
      while (ops.next()) {
        OpKind kind = ops.kind();
        long off = ops.offset();
        long len = ops.length();
        boolean applied;
        java.util.Arrays.fill(changed, 0);
        long t0 = System.nanoTime();
        try {
          guest.apply(kind, off, len, changed);
          applied = true;
        } catch (ConversionException e) {
          if (!e.isConsistent()) {
            throw e;
          }
          // Refused and undone exactly (e.g. a map past the type1 entry limit on demand): count it and go on, as a
          // VMM reports the failed conversion to the guest and keeps running.
          applied = false;
          refused++;
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(ops.position() + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
          if (kind.needsPlugSource() && !guest.regions.get(0).hasSource(Source.PLUG)) {
            throw new IllegalArgumentException(ops.position() + ": " + kind.name().toLowerCase()
                + " needs a region with a plug source; replay with --plug unplugged (or plugged)", e);
          }
          throw e;
        }
        long t1 = System.nanoTime();
        latency.record(t1 - t0);
        loopNanos += t1 - t0;
        dma.sample();
        if (applied) {
          if (changed[0] == 0) {
            unchanged++;
          }
          blocks += changed[0];
          runs += changed[1];
          notifications += changed[2];
        }
        boolean whole = config.verifyEvery() > 0 && ops.count() % config.verifyEvery() == 0;
        if (config.verify() || whole) {
          try {
            if (whole) {
              guest.verify(dma);
            } else {
              guest.verify(dma, off, len);
            }
          } catch (InvariantViolation v) {
            throw new InvariantViolation("after " + ops.position() + " (" + kind + " [0x" + Long.toHexString(off)
                + ", +0x" + Long.toHexString(len) + ")" + (whole ? ", whole region" : "") + "): " + v.getMessage());
          }
          verified++;
          if (whole) {
            verifiedWhole++;
          }
        }
        if (t1 - lastProgress > 100_000_000L) {
          progress.update(input.done(), input.total);
          lastProgress = t1;
        }
      }
      progress.update(input.total, input.total);
      guest.verify(dma);
      verified++;
      verifiedWhole++;
      end.accept(guest.regions.get(0), dma);
      long jol = 0;
      long own = 0;
      long shared = 0;
      for (AttributeManager region : guest.regions) {
        long bytes = measureStore ? storeBytesJol(region) : -1;
        jol = bytes < 0 || jol < 0 ? -1 : jol + bytes;
        own += region.storeMemoryBytes();
        shared += region.bytesIn(BlockState.SHARED);
      }
      long dmaJol = measureStore ? bytesJol(dma.bookkeeping()) : -1;
      return new RunSummary(config, dma.description(), ops.count(), unchanged, blocks, runs, notifications,
          dma.mapCalls(), dma.unmapCalls(), dma.splitCalls(), dma.peakEntries(), dma.entries(), dma.kernelBytes(),
          dma.peakKernelBytes(), dma.pinnedBytes(), dma.peakPinnedBytes(), jol, own, dmaJol,
          dma.bookkeepingRecords(), shared, latency.percentile(0.5), latency.percentile(0.99), latency.max(),
          loopNanos, input.skipped(), verified, verifiedWhole, refused);
    }
  }

  /**
   * The replayed guest: one region, or with a {@link RamLayout} one region per RAM range behind a
   * {@link GuestMemoryMap}. Operations come in RAM offsets (a workload's offsets, a trace's after translation).
   */
  private static final class Guest {
    final List<AttributeManager> regions = new ArrayList<>();
    final RamLayout ram;
    final GuestMemoryMap map;

    private Guest(RamLayout ram, List<AttributeManager> regions) {
      this.ram = ram;
      this.regions.addAll(regions);
      if (ram == null) {
        this.map = null;
        return;
      }
      List<GuestMemoryMap.Ram> rams = new ArrayList<>();
      for (int i = 0; i < regions.size(); i++) {
        rams.add(new GuestMemoryMap.Ram(ram.ranges().get(i).guestPhysical(), regions.get(i)));
      }
      this.map = GuestMemoryMap.of(rams);
    }

    /** Builds the regions; {@code hostAddress} backs RAM offset 0, the ranges follow one another from there. */
    static Guest build(RunConfig config, Input input, long hostAddress) {
      List<AttributeManager> regions = new ArrayList<>();
      if (input.ram == null) {
        regions.add(region(config, input, new RegionLayout(config.size(), config.granularity(), input.base,
            hostAddress)));
        return new Guest(null, regions);
      }
      for (int i = 0; i < input.ram.ranges().size(); i++) {
        RamLayout.Range r = input.ram.ranges().get(i);
        regions.add(region(config, input, new RegionLayout(r.size(), config.granularity(), r.guestPhysical(),
            hostAddress + input.ram.ramOffset(i))));
      }
      return new Guest(input.ram, regions);
    }

    private static AttributeManager region(RunConfig config, Input input, RegionLayout layout) {
      AttributeManagerBuilder builder = AttributeManager.builder().layout(layout)
          .store(Providers.stateStore(config.store()));
      if (!input.plug.equals("none")) {
        builder.plugSource(input.plug.equals("plugged"));
      }
      return builder.build();
    }

    /**
     * Applies {@code kind} to RAM offsets {@code [offset, offset + length)}, adding blocks changed, runs notified and
     * listener calls to {@code changed}. A conversion goes through the memory map, all or nothing across the regions
     * it covers, once per piece that is contiguous in guest-physical space (a range across the PCI hole is two guest
     * requests, one each side); plugging goes to each region's part, as each region has its own virtio-mem device.
     */
    void apply(OpKind kind, long offset, long length, long[] changed) {
      if (map == null) {
        add(kind.applyTo(regions.get(0), offset, length), changed);
        return;
      }
      if (kind.needsPlugSource()) {
        forEachPart(offset, length, (region, off, len) -> add(kind.applyTo(region, off, len), changed));
        return;
      }
      for (long[] piece : ram.guestPhysical(offset, length)) {
        for (ConversionResult r : map.convert(piece[0], piece[1], kind == OpKind.SHARE)) {
          add(r, changed);
        }
      }
    }

    private static void add(ConversionResult r, long[] changed) {
      changed[0] += r.blocksChanged();
      changed[1] += r.runsNotified();
      changed[2] += r.notifications();
    }

    void verify(DmaPath dma) {
      for (AttributeManager region : regions) {
        dma.verify(region);
      }
    }

    void verify(DmaPath dma, long offset, long length) {
      if (map == null) {
        dma.verify(regions.get(0), offset, length);
        return;
      }
      forEachPart(offset, length, dma::verify);
    }

    /** Calls {@code part} with each region's share of RAM offsets {@code [offset, offset + length)}. */
    private void forEachPart(long offset, long length, RegionPart part) {
      long end = offset + length;
      for (int i = 0; i < regions.size(); i++) {
        long start = ram.ramOffset(i);
        long from = Math.max(offset, start);
        long to = Math.min(end, start + ram.ranges().get(i).size());
        if (from < to) {
          part.accept(regions.get(i), from - start, to - from);
        }
      }
    }

    @FunctionalInterface
    private interface RegionPart {
      void accept(AttributeManager region, long offset, long length);
    }
  }

  /**
   * What the state stores retain, by JOL, walking the live stores (a store references neither the manager nor the
   * listeners, so they are not counted); no copy, so a large region needs no extra heap for it.
   */
  static long storeBytesJol(AttributeManager region) {
    quietJolStartup();
    long[] total = {0};
    region.measureStores(store -> {
      long bytes = bytesJol(store);
      // JOL needs VM internals some JVMs do not offer; the table then shows the store's own figure
      total[0] = bytes < 0 || total[0] < 0 ? -1 : total[0] + bytes;
    });
    return total[0];
  }

  /** What {@code roots} retain together, by JOL; -1 where JOL cannot measure. */
  static long bytesJol(Object... roots) {
    quietJolStartup();
    try {
      return GraphLayout.parseInstance(roots).totalSize();
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }

  private static volatile boolean jolStarted;

  /**
   * JOL prints its attach warnings to stdout when it starts; they would land in the middle of the command's output
   * (and its JSON when piped), so its start-up runs with stdout silenced.
   */
  private static synchronized void quietJolStartup() {
    if (jolStarted) {
      return;
    }
    // Without an attached agent (the jar runs without -Djdk.attach.allowAttachSelf) JOL cannot take field offsets
    // of records, which the back-ends hold; its probing fallback can.
    if (System.getProperty("jol.magicFieldOffset") == null) {
      System.setProperty("jol.magicFieldOffset", "true");
    }
    java.io.PrintStream saved = System.out;
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try {
      org.openjdk.jol.vm.VM.current();
    } catch (RuntimeException | LinkageError e) {
      // measured as unavailable below
    } finally {
      System.setOut(saved);
      jolStarted = true;
    }
  }

  /** Line ends in {@code file}, counted on bytes: no decoding, so a binary file is named by the reader, not here. */
  static long countLines(java.nio.file.Path file) throws IOException {
    long lines = 0;
    byte[] buffer = new byte[1 << 16];
    try (java.io.InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
      }
    }
    return lines;
  }

  /** The trace header's {@code ram} layout, checked against the run's size and base; null if it has none. */
  private static RamLayout headerRam(RunConfig c, Optional<String> text) {
    if (text.isEmpty()) {
      return null;
    }
    RamLayout ram;
    try {
      ram = RamLayout.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trace " + c.trace() + ": header ram='" + text.get() + "': "
          + e.getMessage(), e);
    }
    if (c.base().isPresent()) {
      throw new IllegalArgumentException("--base and the RAM layout in the header of " + c.trace()
          + " exclude each other: the layout gives every range's address (ram=" + text.get() + ")");
    }
    if (ram.size() != c.size()) {
      throw new IllegalArgumentException(String.format("--size 0x%x differs from the total 0x%x of the RAM layout "
          + "in the header of %s (ram=%s)", c.size(), ram.size(), c.trace(), text.get()));
    }
    return ram;
  }

  /** The operations of a run, with what the region needs to know about them. */
  private static final class Input {
    final OpStream ops;
    final long base;
    final String plug;
    final long total;
    final TraceReader reader;
    /** The guest's RAM ranges, or null for one region at {@link #base}. */
    final RamLayout ram;

    private Input(OpStream ops, long base, String plug, long total, TraceReader reader, RamLayout ram) {
      this.ops = ops;
      this.base = base;
      this.plug = plug;
      this.total = total;
      this.reader = reader;
      this.ram = ram;
    }

    long done() {
      return reader != null ? reader.lines() : ops.count();
    }

    long skipped() {
      return reader != null ? reader.skippedLines() : 0;
    }

    static Input open(RunConfig c) {
      if (c.workload() != null) {
        Workload w = Workloads.named(c.workload());
        WorkloadSpec spec = new WorkloadSpec(c.size(), c.granularity(), c.seed(), c.ops());
        long total = w.operations(spec); // -1 if the workload cannot say: the bar then shows a count only
        String plug = c.plug() != null ? c.plug() : w.usesPlugSource() ? "unplugged" : "none";
        return new Input(w.ops(spec), c.base().orElse(RunConfig.DEFAULT_BASE), plug, total, null, c.ram());
      }
      try {
        Optional<TraceHeader> header = TraceHeader.read(c.trace());
        long base = c.base().isPresent() ? c.base().getAsLong()
            : header.flatMap(h -> h.size("base")).orElse(0L);
        String plug = c.plug() != null ? c.plug() : header.flatMap(h -> h.get("plug")).orElse("none");
        RamLayout ram = c.ram() != null ? c.ram() : headerRam(c, header.flatMap(h -> h.get("ram")));
        long lines = countLines(c.trace());
        TraceReader.Options options = TraceReader.Options.of(c.size()).withBase(base).withStrict(c.strict());
        TraceReader reader = TraceReader.open(c.trace(), ram == null ? options : options.withRam(ram));
        return new Input(reader, base, plug, lines, reader, ram);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("trace file " + c.trace() + " does not exist");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read trace " + c.trace() + ": " + e.getMessage(), e);
      }
    }
  }
}
