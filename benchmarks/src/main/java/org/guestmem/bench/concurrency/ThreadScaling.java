package org.guestmem.bench.concurrency;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ConversionScalingBenchmark} at 1, 2, 4 and 8 threads in both modes and prints throughput and
 * notifications per call, with combining as a ratio against the plain lock measured in the same run.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar org.guestmem.bench.concurrency.ThreadScaling [iterations]
 * [listenerCost]}
 */
public final class ThreadScaling {
  private ThreadScaling() {}

  public static void main(String[] args) throws RunnerException {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int[] threadCounts = {1, 2, 4, 8};
    Map<String, double[]> rows = new LinkedHashMap<>();
    String cost = args.length > 1 ? args[1] : "1000";
    for (int threads : threadCounts) {
      for (String mode : new String[] {"lock", "combining"}) {
        Options opts = new OptionsBuilder()
            .include(ConversionScalingBenchmark.class.getName())
            .param("mode", mode)
            .param("listenerCost", cost)
            .threads(threads)
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations)
            .measurementTime(TimeValue.seconds(1))
            .build();
        RunResult run = new Runner(opts).runSingle();
        Result<?> primary = run.getPrimaryResult();
        Map<String, Result> secondary = run.getSecondaryResults();
        double calls = secondary.get("calls").getScore();
        double notifications = secondary.get("notifications").getScore();
        double combined = secondary.get("combinedCalls").getScore();
        rows.put(threads + "/" + mode, new double[] {
            primary.getScore(), primary.getScoreError(), notifications / calls, combined / calls});
      }
    }
    System.out.println();
    System.out.println("listener cost " + cost + " tokens per call");
    System.out.println("threads | lock ops/us | combining ops/us | combining/lock | notifications per call "
        + "(lock -> combining) | calls combined");
    List<String> lines = new ArrayList<>();
    for (int threads : threadCounts) {
      double[] lock = rows.get(threads + "/lock");
      double[] comb = rows.get(threads + "/combining");
      lines.add(String.format("%7d | %6.3f ± %.3f | %6.3f ± %.3f | %13.2fx | %.3f -> %.3f | %.1f%%", threads,
          lock[0], lock[1], comb[0], comb[1], comb[0] / lock[0], lock[2], comb[2], 100 * comb[3]));
    }
    lines.forEach(System.out::println);
  }
}
