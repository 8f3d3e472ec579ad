package org.guestmem.bench.manager;

import java.util.concurrent.TimeUnit;
import org.guestmem.config.Providers;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionResult;
import org.guestmem.region.RamDiscardListener;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Conversion throughput of one region with 0, 1 and 4 listeners: a 64 KiB range at a rotating place in a 64 GiB region
 * is shared, then made private again, so every call changes 16 blocks and notifies every listener once. The listeners
 * only consume their arguments: this measures the manager and the store, not a back-end.
 *
 * <p>{@code java -jar benchmarks/target/benchmarks.jar manager.ConversionThroughput -rf json}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConversionThroughputBenchmark {
  static final long SIZE = 64L << 30;
  static final long RANGE = 64L << 10;
  static final long SLOTS = 1 << 14; // 16384 ranges spread over the region, 4 MiB apart

  @Param({"0", "1", "4"})
  public int listeners;

  @Param({"bitmap"})
  public String store;

  AttributeManager region;
  long next;

  @Setup(Level.Trial)
  public void setUp(Blackhole bh) {
    region = AttributeManager.builder().layout(RegionLayout.of(SIZE, 4096)).store(Providers.stateStore(store))
        .build();
    for (int i = 0; i < listeners; i++) {
      region.registerListener(new RamDiscardListener() {
        @Override
        public void populate(long offset, long length) {
          bh.consume(offset + length);
        }

        @Override
        public void discard(long offset, long length) {
          bh.consume(offset - length);
        }
      }, 0, SIZE);
    }
  }

  /** One share and one make-private of the same 64 KiB: two conversions per call. */
  @Benchmark
  @org.openjdk.jmh.annotations.OperationsPerInvocation(2)
  public long shareThenMakePrivate() {
    long off = (next++ & (SLOTS - 1)) * (SIZE / SLOTS);
    ConversionResult a = region.share(off, RANGE);
    ConversionResult b = region.makePrivate(off, RANGE);
    return a.blocksChanged() + b.blocksChanged();
  }
}
