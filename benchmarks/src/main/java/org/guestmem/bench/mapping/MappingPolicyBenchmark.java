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
 * calls and the peak DMA entries reported next to it as auxiliary counters (so the JSON holds the memory side of the
 * trade too).
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar mapping.MappingPolicy -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class MappingPolicyBenchmark {
  @Param({"boot-swiotlb", "dynamic-dma", "hugepage-2m", "partial-split", "checkerboard"})
  public String workload;

  @Param({"granule", "coalesce"})
  public String mapping;

  @Param({"iommufd"})
  public String dma;

  @Param({"64G"})
  public String size;

  /** What the last replay of an iteration cost, reported by JMH as secondary metrics. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Calls {
    public long mapCalls;
    public long unmapCalls;
    public long splitCalls;
    public long peakEntries;

    @Setup(Level.Iteration)
    public void clear() {
      mapCalls = 0;
      unmapCalls = 0;
      splitCalls = 0;
      peakEntries = 0;
    }
  }

  @Benchmark
  public RunSummary replay(Calls calls) {
    RunConfig config = new RunConfig(workload, null, OptionalLong.empty(), false,
        org.guestmem.config.GuestmemConfig.parseSize(size), 4096, 1, 0, null, "bitmap", dma, "embedded", mapping,
        false);
    RunSummary s = ReplayRunner.run(config, ReplayRunner.Progress.NONE, (region, path) -> {}, false);
    calls.mapCalls += s.mapCalls();
    calls.unmapCalls += s.unmapCalls();
    calls.splitCalls += s.splitCalls();
    calls.peakEntries = Math.max(calls.peakEntries, s.peakEntries());
    return s;
  }
}
