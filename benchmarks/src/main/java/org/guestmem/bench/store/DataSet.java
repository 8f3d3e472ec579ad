package org.guestmem.bench.store;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The store benchmarks' data sets, deterministic from fixed seeds: a block space and the sorted positions where the state
 * flips. Block 0 starts private (state 0); runs alternate private and shared.
 *
 * <ul>
 *   <li>{@code runs-1e3}, {@code runs-1e5}, {@code runs-1e6}: 2<sup>32</sup> blocks (16 TiB at 4 KiB) with that many
 *       runs at uniformly random boundaries;
 *   <li>{@code dense-2^22}: 2<sup>22</sup> blocks, each shared with probability 0.5 (about 2.1 million runs).
 * </ul>
 */
public final class DataSet {
  /** The names, in report order. */
  public static final List<String> NAMES = List.of("runs-1e3", "runs-1e5", "runs-1e6", "dense-2^22");

  private final String name;
  private final long blocks;
  private final long[] flips;

  private DataSet(String name, long blocks, long[] flips) {
    this.name = name;
    this.blocks = blocks;
    this.flips = flips;
  }

  /** The data set called {@code name}; throws naming the known names otherwise. */
  public static DataSet named(String name) {
    return switch (name) {
      case "runs-1e3" -> sparse(name, 1_000);
      case "runs-1e5" -> sparse(name, 100_000);
      case "runs-1e6" -> sparse(name, 1_000_000);
      case "dense-2^22" -> dense(name, 1 << 22);
      default -> throw new IllegalArgumentException("data set '" + name + "' is not one of " + NAMES);
    };
  }

  private static DataSet sparse(String name, int runs) {
    long blocks = 1L << 32;
    SplittableRandom rnd = new SplittableRandom(runs * 0x9E3779B97F4A7C15L);
    long[] flips = new long[runs - 1];
    int n = 0;
    while (n < flips.length) {
      for (int i = n; i < flips.length; i++) {
        flips[i] = 1 + rnd.nextLong(blocks - 1);
      }
      Arrays.sort(flips);
      n = 0;
      for (int i = 0; i < flips.length; i++) {
        if (n == 0 || flips[i] != flips[n - 1]) {
          flips[n++] = flips[i];
        }
      }
    }
    return new DataSet(name, blocks, flips);
  }

  private static DataSet dense(String name, int blocks) {
    SplittableRandom rnd = new SplittableRandom(22);
    long[] flips = new long[blocks];
    int n = 0;
    int previous = 0;
    for (int b = 0; b < blocks; b++) {
      int state = rnd.nextBoolean() ? 1 : 0;
      if (state != previous) {
        flips[n++] = b;
      }
      previous = state;
    }
    return new DataSet(name, blocks, Arrays.copyOf(flips, n));
  }

  public String name() {
    return name;
  }

  public long blocks() {
    return blocks;
  }

  /** Number of maximal runs. */
  public int runs() {
    return flips.length + 1;
  }

  /** The i-th flip position, ascending. */
  public long flip(int i) {
    return flips[i];
  }

  /** Sets every shared run of this data set in {@code subject}, which starts all private. */
  public void fill(RunSubject subject) {
    for (int i = 0; i < flips.length; i += 2) {
      subject.set(flips[i], i + 1 < flips.length ? flips[i + 1] : blocks, 1);
    }
  }

  /**
   * The information limit in bytes: the entropy of choosing {@code runs() - 1} flip positions among
   * {@code blocks() - 1}, plus one bit for the first state.
   */
  public double informationLimitBytes() {
    long n = blocks - 1;
    long k = flips.length;
    double bits = 1;
    for (long i = 0; i < k; i++) {
      bits += Math.log((double) (n - i) / (k - i));
    }
    return bits / Math.log(2) / 8;
  }
}
