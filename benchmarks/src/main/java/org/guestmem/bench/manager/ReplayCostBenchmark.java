package org.guestmem.bench.manager;

import java.util.concurrent.TimeUnit;
import org.guestmem.config.Providers;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
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
 * The cost of {@code replayPopulated} over a whole region against the number of populated runs and the region size:
 * the manager walks runs, so with a run-based store the time follows {@code runs} and not {@code blocks} (QEMU's
 * bitmap replay asks every granule). A bitmap store still scans its words between runs, so its time grows with the
 * size divided by 64; compare {@code -p store=bitmap,intervaltree}.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar manager.ReplayCost -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReplayCostBenchmark {
  /** log2 of the block count: 2^18 blocks = 1 GiB, 2^24 = 64 GiB, 2^28 = 1 TiB at 4 KiB. */
  @Param({"18", "24", "28"})
  public int blocksLog2;

  @Param({"16", "1024", "16384"})
  public int runs;

  @Param({"bitmap"})
  public String store;

  AttributeManager region;
  long size;

  @Setup(Level.Trial)
  public void setUp() {
    size = (1L << blocksLog2) * 4096;
    region = AttributeManager.builder().layout(RegionLayout.of(size, 4096)).store(Providers.stateStore(store))
        .build();
    long stride = size / runs;
    for (long i = 0; i < runs; i++) {
      region.share(i * stride, 4096); // one-block runs, evenly spread
    }
  }

  /** Visits every populated run of the region; returns their total length so nothing is optimised away. */
  @Benchmark
  public long replayPopulated() {
    long[] total = {0};
    region.replayPopulated(0, size, (off, len) -> {
      total[0] += len;
      return 0;
    });
    return total[0];
  }
}
