package org.guestmem.cli.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.guestmem.config.Providers;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.AttributeManagerBuilder;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionException;
import org.guestmem.region.ConversionResult;
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
    LatencyHistogram latency = new LatencyHistogram();
    try (OpStream ops = input.ops; HostMemory host = new HostMemory(); DmaPath dma = DmaPaths.open(config.dma(),
        config.mapping(), config.entryLimit(), config.dmaOptionsFor(config.dma()))) {
      RegionLayout layout = new RegionLayout(config.size(), config.granularity(), input.base,
          host.back(dma.realKernel(), config.size()));
      AttributeManagerBuilder builder = AttributeManager.builder().layout(layout)
          .store(Providers.stateStore(config.store()));
      if (!input.plug.equals("none")) {
        builder.plugSource(input.plug.equals("plugged"));
      }
      AttributeManager region = builder.build();
      dma.attach(region);
      long unchanged = 0;
      long blocks = 0;
      long runs = 0;
      long notifications = 0;
      long verified = 0;
      long verifiedWhole = 0;
      long refused = 0;
      long loopNanos = 0;
      long lastProgress = System.nanoTime();
      while (ops.next()) {
        OpKind kind = ops.kind();
        long off = ops.offset();
        long len = ops.length();
        ConversionResult r;
        long t0 = System.nanoTime();
        try {
          r = kind.applyTo(region, off, len);
        } catch (ConversionException e) {
          if (!e.isConsistent()) {
            throw e;
          }
          // Refused and undone exactly (e.g. a map past the type1 entry limit on demand): count it and go on, as a
          // VMM reports the failed conversion to the guest and keeps running.
          r = null;
          refused++;
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(ops.position() + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
          if (kind.needsPlugSource() && !region.hasSource(Source.PLUG)) {
            throw new IllegalArgumentException(ops.position() + ": " + kind.name().toLowerCase()
                + " needs a region with a plug source; replay with --plug unplugged (or plugged)", e);
          }
          throw e;
        }
        long t1 = System.nanoTime();
        latency.record(t1 - t0);
        loopNanos += t1 - t0;
        dma.sample();
        if (r != null) {
          if (r.blocksChanged() == 0) {
            unchanged++;
          }
          blocks += r.blocksChanged();
          runs += r.runsNotified();
          notifications += r.notifications();
        }
        boolean whole = config.verifyEvery() > 0 && ops.count() % config.verifyEvery() == 0;
        if (config.verify() || whole) {
          try {
            if (whole) {
              dma.verify(region);
            } else {
              dma.verify(region, off, len);
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
      dma.verify(region);
      verified++;
      verifiedWhole++;
      end.accept(region, dma);
      long jol = measureStore ? storeBytesJol(region) : -1;
      long dmaJol = measureStore ? bytesJol(dma.bookkeeping()) : -1;
      return new RunSummary(config, dma.description(), ops.count(), unchanged, blocks, runs, notifications,
          dma.mapCalls(), dma.unmapCalls(), dma.splitCalls(), dma.peakEntries(), dma.entries(), dma.kernelBytes(),
          dma.peakKernelBytes(), dma.pinnedBytes(), dma.peakPinnedBytes(), jol, region.storeMemoryBytes(), dmaJol,
          dma.bookkeepingRecords(),
          region.bytesIn(BlockState.SHARED), latency.percentile(0.5), latency.percentile(0.99), latency.max(),
          loopNanos, input.skipped(), verified, verifiedWhole, refused);
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

  /** The operations of a run, with what the region needs to know about them. */
  private static final class Input {
    final OpStream ops;
    final long base;
    final String plug;
    final long total;
    final TraceReader reader;

    private Input(OpStream ops, long base, String plug, long total, TraceReader reader) {
      this.ops = ops;
      this.base = base;
      this.plug = plug;
      this.total = total;
      this.reader = reader;
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
        return new Input(w.ops(spec), c.base().orElse(RunConfig.DEFAULT_BASE), plug, total, null);
      }
      try {
        Optional<TraceHeader> header = TraceHeader.read(c.trace());
        long base = c.base().isPresent() ? c.base().getAsLong()
            : header.flatMap(h -> h.size("base")).orElse(0L);
        String plug = c.plug() != null ? c.plug() : header.flatMap(h -> h.get("plug")).orElse("none");
        long lines = countLines(c.trace());
        TraceReader reader = TraceReader.open(c.trace(),
            TraceReader.Options.of(c.size()).withBase(base).withStrict(c.strict()));
        return new Input(reader, base, plug, lines, reader);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("trace file " + c.trace() + " does not exist");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read trace " + c.trace() + ": " + e.getMessage(), e);
      }
    }
  }
}
