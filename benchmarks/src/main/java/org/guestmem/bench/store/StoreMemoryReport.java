package org.guestmem.bench.store;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.openjdk.jol.info.GraphLayout;

/**
 * Prints the store memory table: JOL retained bytes per run of every subject on every data set, with the
 * information limit, as a Markdown table. A plain main (as Caffeine's MemoryBenchmark), not JMH. Before measuring,
 * every subject is checked to hold the same runs as the {@code intervaltree} store over random windows.
 *
 * <pre>{@code
 * java -Djdk.attach.allowAttachSelf=true --add-opens java.base/java.util=ALL-UNNAMED \
 *   --add-opens java.base/java.lang=ALL-UNNAMED -Xmx6g \
 *   -cp benchmarks/target/benchmarks.jar org.guestmem.bench.store.StoreMemoryReport [subject...]
 * }</pre>
 */
public final class StoreMemoryReport {
  static final List<String> SUBJECTS =
      List.of("bitmap", "intervaltree", "treemap", "rangeset", "roaring", "sorted-array");

  private StoreMemoryReport() {}

  public static void main(String[] args) {
    List<String> subjects = args.length == 0 ? SUBJECTS : List.of(args);
    StringBuilder header = new StringBuilder("| data set | runs | information limit |");
    StringBuilder rule = new StringBuilder("|---|---|---|");
    for (String s : subjects) {
      header.append(' ').append(s).append(" |");
      rule.append("---|");
    }
    System.out.println("Bytes per run, JOL retained size (" + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version") + ")");
    System.out.println(header);
    System.out.println(rule);
    for (String name : DataSet.NAMES) {
      DataSet data = DataSet.named(name);
      RunSubject reference = RunSubject.filled("intervaltree", data);
      List<String> cells = new ArrayList<>();
      for (String s : subjects) {
        RunSubject subject = RunSubject.filled(s, data);
        checkSameRuns(reference, subject, data, s);
        long bytes = GraphLayout.parseInstance(subject.retained()).totalSize();
        cells.add(String.format("%.3f", (double) bytes / data.runs()));
      }
      System.out.printf("| %s | %d | %.3f | %s |%n", name, data.runs(),
          data.informationLimitBytes() / data.runs(), String.join(" | ", cells));
    }
  }

  private static void checkSameRuns(RunSubject reference, RunSubject subject, DataSet data, String name) {
    SplittableRandom rnd = new SplittableRandom(9);
    for (int i = 0; i < 200; i++) {
      long from = rnd.nextLong(data.blocks() - 4096);
      long to = from + 1 + rnd.nextInt(4096);
      if (reference.visit(from, to) != subject.visit(from, to)
          || reference.iterate(from, 32) != subject.iterate(from, 32)) {
        throw new IllegalStateException(name + " disagrees with intervaltree on " + data.name() + " over ["
            + from + ", " + to + ")");
      }
    }
  }
}
