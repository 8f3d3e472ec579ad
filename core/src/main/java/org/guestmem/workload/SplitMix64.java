package org.guestmem.workload;

/**
 * Steele, Lea and Flood's SplitMix64, spelled out here (rather than {@link java.util.SplittableRandom}) so that a
 * seed names the same workload on every JDK: traces generated once and kept under {@code testdata/} must replay to
 * what the generator produces today.
 */
final class SplitMix64 {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  long nextLong() {
    long z = (state += GOLDEN_GAMMA);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Uniform in {@code [0, bound)} for {@code bound > 0}, without modulo bias (Lemire's multiply-and-reject). */
  long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound " + bound + " must be positive");
    }
    while (true) {
      long x = nextLong();
      long high = Math.multiplyHigh(x, bound) + ((x >> 63) & bound);
      long low = x * bound;
      if (Long.compareUnsigned(low, bound) >= 0 || Long.compareUnsigned(low, Long.remainderUnsigned(-bound, bound))
          >= 0) {
        return high;
      }
    }
  }

  /** Uniform in {@code [0, 1)}. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** True with probability {@code p}. */
  boolean chance(double p) {
    return nextDouble() < p;
  }
}
