package org.guestmem.bench.store;

import java.util.List;
import java.util.Map;
import org.guestmem.config.Providers;

/**
 * One thing that holds a two-state assignment of blocks, benchmarked the same way: a guestmem store found through
 * the SPI by provider name, or a baseline built on another library ({@code treemap}, {@code rangeset},
 * {@code roaring}, {@code sorted-array}). Every subject starts with all blocks private (state 0).
 */
public interface RunSubject {
  /** The baseline names; anything else is looked up as a state store provider. */
  List<String> BASELINES = List.of("treemap", "rangeset", "roaring", "sorted-array");

  long blocks();

  /** Sets {@code [from, to)} to {@code state}. */
  void set(long from, long to, int state);

  int get(long block);

  /** The first block after {@code block} whose state differs, or {@link #blocks()}. */
  long nextChange(long block);

  /** What the subject retains, for JOL. */
  Object retained();

  /**
   * Visits the maximal runs over {@code [from, to)}, clipped, and returns a checksum over them (run count plus
   * shared blocks), equal for equal contents whatever the subject.
   */
  default long visit(long from, long to) {
    long sum = 0;
    long p = from;
    int st = get(p);
    while (p < to) {
      long e = Math.min(to, nextChange(p));
      sum += 1 + (e - p) * st;
      p = e;
      st ^= 1;
    }
    return sum;
  }

  /**
   * Visits {@code runs} maximal runs starting with the one holding {@code from} (clipped to start there), going
   * back to block 0 after the last, and returns a checksum.
   */
  default long iterate(long from, int runs) {
    long sum = 0;
    long p = from;
    int st = get(p);
    for (int i = 0; i < runs; i++) {
      long e = nextChange(p);
      sum += 1 + (e - p) * st;
      if (e >= blocks()) {
        p = 0;
        st = get(0);
      } else {
        p = e;
        st ^= 1;
      }
    }
    return sum;
  }

  /** A new, all-private subject called {@code name} over {@code blocks} blocks. */
  static RunSubject create(String name, long blocks) {
    return switch (name) {
      case "treemap" -> new TreeMapSubject(blocks);
      case "rangeset" -> new RangeSetSubject(blocks);
      case "roaring" -> new RoaringSubject(blocks);
      case "sorted-array" -> new SortedArraySubject(blocks);
      default -> new StoreSubject(Providers.stateStore(name).create(blocks, 2, 0, Map.of()));
    };
  }

  /** A subject holding {@code data}. */
  static RunSubject filled(String name, DataSet data) {
    RunSubject s = create(name, data.blocks());
    data.fill(s);
    if (s instanceof RoaringSubject r) {
      r.runOptimize();
    }
    if (s instanceof SortedArraySubject a) {
      a.trim();
    }
    return s;
  }
}
