package org.guestmem.bench.mapping;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.guestmem.cli.replay.ReplayRunner;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Granule against coalesce mapping, per workload, on the embedded iommufd model: time per replay, with the back-end
 * calls, the peak DMA entries and the peak kernel-memory estimate of one replay reported next to it as auxiliary
 * counters (so the JSON holds the memory side of the trade too). Average time rather than single-shot, because JMH
 * reports auxiliary counters only in the throughput and average-time modes.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar mapping.MappingPolicy -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class MappingPolicyBenchmark {
  @Param({"boot-swiotlb", "dynamic-dma", "hugepage-2m", "partial-split", "checkerboard"})
  public String workload;

  @Param({"granule", "coalesce"})
  public String mapping;

  @Param({"iommufd"})
  public String dma;

  @Param({"64G"})
  public String size;

  /**
   * What the replays cost, reported by JMH as secondary metrics: sums over every replay of the measurement
   * iterations (JMH adds EVENTS counters up across iterations), with {@code replays} counting them, so one replay's
   * figure is a counter divided by {@code replays} (every replay of a combination makes the same calls: the workload
   * is deterministic).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Calls {
    public long mapCalls;
    public long unmapCalls;
    public long splitCalls;
    public long peakEntries;
    public long peakKernelKib;
    public long replays;

    @Setup(Level.Iteration)
    public void clear() {
      replays = 0;
      mapCalls = 0;
      unmapCalls = 0;
      splitCalls = 0;
      peakEntries = 0;
      peakKernelKib = 0;
    }
  }

  @Benchmark
  public RunSummary replay(Calls calls) {
    RunConfig config = new RunConfig(workload, null, OptionalLong.empty(), false,
        org.guestmem.spi.Sizes.parse(size), 4096, 1, 0, null, "bitmap", dma, "embedded", mapping,
        false);
    RunSummary s = ReplayRunner.run(config, ReplayRunner.Progress.NONE, (region, path) -> {}, false);
    calls.replays++;
    calls.mapCalls += s.mapCalls();
    calls.unmapCalls += s.unmapCalls();
    calls.splitCalls += s.splitCalls();
    calls.peakEntries += s.peakEntries();
    calls.peakKernelKib += s.peakKernelBytes() / 1024;
    return s;
  }
}
