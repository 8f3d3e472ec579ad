package org.guestmem.bench.replay;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.guestmem.cli.replay.ReplayRunner;
import org.guestmem.cli.replay.RunConfig;
import org.guestmem.cli.replay.RunSummary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole workload replayed end to end, as {@code guestmem replay} does it: region set-up, listener registration,
 * every conversion through manager, mapping listener and back-end, the final invariant check and tear-down. One
 * invocation is one replay.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar replay.EndToEnd -p dma=iommufd,vfio-type1 -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class EndToEndReplayBenchmark {
  @Param({"boot-swiotlb", "dynamic-dma", "partial-split", "virtio-mem-cvm"})
  public String workload;

  @Param({"64G"})
  public String size;

  @Param({"bitmap"})
  public String store;

  /** A DMA back-end name, or {@code none} for the listener's view only. */
  @Param({"none"})
  public String dma;

  @Param({"granule"})
  public String mapping;

  @Benchmark
  public RunSummary replay() {
    RunConfig config = new RunConfig(workload, null, OptionalLong.empty(), false,
        org.guestmem.spi.Sizes.parse(size), 4096, 1, 0, null, store, dma, "embedded", mapping,
        false);
    return ReplayRunner.run(config, ReplayRunner.Progress.NONE, (region, path) -> {}, false);
  }
}
