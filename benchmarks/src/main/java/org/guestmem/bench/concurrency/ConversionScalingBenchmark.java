package org.guestmem.bench.concurrency;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.guestmem.config.Providers;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionResult;
import org.guestmem.region.RamDiscardListener;
import org.guestmem.region.RegionLayout;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * vCPU threads converting consecutive 4 KiB blocks of one region, each taking the next block from a shared cursor,
 * so that neighbouring conversions come from different threads at the same time, as when several vCPUs share a
 * bounce buffer page by page; each pass over the region flips the direction. Compares the region's plain lock with
 * flat combining. The listener stands for the DMA mapping listener: notifications per call are the map/unmap
 * calls a coalescing listener would make, and {@code listenerCost} burns CPU per call as an ioctl would.
 *
 * <p>Run with {@link ThreadScaling} for the 1/2/4/8-thread table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConversionScalingBenchmark {
  private static final long G = 4096;
  private static final long BLOCKS = 1 << 20; // the cursor's low 20 bits

  @Param({"lock", "combining"})
  public String mode;

  @Param({"bitmap"})
  public String store;

  /** Blackhole tokens burnt per listener call (0: a free listener; 1000: roughly a microsecond, like an ioctl). */
  @Param({"0", "1000"})
  public long listenerCost;

  AttributeManager region;
  final AtomicLong cursor = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() {
    region = AttributeManager.builder().layout(RegionLayout.of(BLOCKS * G, G))
        .store(Providers.stateStore(store)).combining(mode.equals("combining")).build();
    region.registerListener(new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        Blackhole.consumeCPU(listenerCost);
      }

      @Override
      public void discard(long offset, long length) {
        Blackhole.consumeCPU(listenerCost);
      }
    }, 0, BLOCKS * G);
  }

  /** Per-thread cursor and the counters JMH reports next to the throughput. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Vcpu {
    /** Listener calls attributed to this thread: a combined call's notifications shared among its batch. */
    public double notifications;
    /** Calls this thread made that were combined with another thread's. */
    public long combinedCalls;
    public long calls;
  }

  @Benchmark
  public ConversionResult convert(Vcpu vcpu) {
    long n = cursor.getAndIncrement();
    long block = n & (BLOCKS - 1);
    boolean toShared = ((n >>> 20) & 1) == 0;
    ConversionResult r = region.convert(block * G, G, toShared);
    vcpu.calls++;
    vcpu.notifications += (double) r.notifications() / r.batchSize();
    if (r.batchSize() > 1) {
      vcpu.combinedCalls++;
    }
    return r;
  }
}
