package org.guestmem.bench.store;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The store speed table: the built-in stores (through the SPI, by provider name) against the baselines, one fork
 * per store and data set.
 *
 * <ul>
 *   <li>{@code rangeSet}: sets a window of 1 to 512 blocks at a random place to a random state; the op list is a
 *       cycle (2,048 such sets, then the sets that restore each window's original runs, newest first), so the data
 *       set never drifts however long the run.
 *   <li>{@code rangeQuery}: visits every maximal run of a random window of 1 to 512 blocks.
 *   <li>{@code iterate}: visits 64 consecutive maximal runs from a random block; the score is per run visited.
 *   <li>{@code flip}: reads one random block and sets it to the other state (each block is flipped twice in a row, so
 *       the data set is restored).
 * </ul>
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar StoreBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class StoreBenchmark {
  static final int RUNS_PER_ITERATE = 64;
  private static final int OPS = 1 << 12;
  private static final int FORWARD_SETS = 2048;
  private static final int MAX_WINDOW = 512;

  @Param({"bitmap", "intervaltree", "treemap", "rangeset", "roaring", "sorted-array"})
  public String store;

  @Param({"runs-1e3", "runs-1e5", "runs-1e6", "dense-2^22"})
  public String dataSet;

  private RunSubject subject;
  private long[] setFrom;
  private long[] setTo;
  private byte[] setState;
  private int setIndex;
  private long[] windowFrom;
  private long[] windowTo;
  private long[] points;
  private int index;

  @Setup(Level.Trial)
  public void setUp() {
    DataSet data = DataSet.named(dataSet);
    subject = RunSubject.filled(store, data);
    SplittableRandom rnd = new SplittableRandom(0x5e7);
    long blocks = data.blocks();
    windowFrom = new long[OPS];
    windowTo = new long[OPS];
    points = new long[OPS];
    for (int i = 0; i < OPS; i++) {
      windowFrom[i] = rnd.nextLong(blocks - MAX_WINDOW);
      windowTo[i] = windowFrom[i] + 1 + rnd.nextInt(MAX_WINDOW);
      points[i] = rnd.nextLong(blocks);
    }
    buildSetCycle(data, rnd);
  }

  /** The forward sets and the sets that undo them, recorded on a reference store holding the same data. */
  private void buildSetCycle(DataSet data, SplittableRandom rnd) {
    SetCycle cycle = SetCycle.of(data, rnd, FORWARD_SETS, MAX_WINDOW);
    int total = cycle.size();
    setFrom = new long[total];
    setTo = new long[total];
    setState = new byte[total];
    for (int i = 0; i < total; i++) {
      setFrom[i] = cycle.from(i);
      setTo[i] = cycle.to(i);
      setState[i] = (byte) cycle.state(i);
    }
  }

  @Benchmark
  public void rangeSet() {
    int i = setIndex;
    subject.set(setFrom[i], setTo[i], setState[i]);
    setIndex = i + 1 == setFrom.length ? 0 : i + 1;
  }

  @Benchmark
  public long rangeQuery() {
    int i = index++ & (OPS - 1);
    return subject.visit(windowFrom[i], windowTo[i]);
  }

  @Benchmark
  @OperationsPerInvocation(RUNS_PER_ITERATE)
  public long iterate() {
    int i = index++ & (OPS - 1);
    return subject.iterate(points[i], RUNS_PER_ITERATE);
  }

  @Benchmark
  public void flip() {
    int i = index++ & (2 * OPS - 1);
    long p = points[i >>> 1];
    subject.set(p, p + 1, 1 - subject.get(p));
  }
}
