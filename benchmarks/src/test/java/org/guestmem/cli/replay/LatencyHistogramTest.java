package org.guestmem.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 99})
  void percentilesAreWithinOneSixteenthOfTheExactValue(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    LatencyHistogram h = new LatencyHistogram();
    long[] values = new long[10_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = (long) Math.exp(r.nextDouble() * Math.log(1e9)); // 1 ns .. 1 s, log-uniform
      h.record(values[i]);
    }
    Arrays.sort(values);
    for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
      long exact = values[(int) Math.ceil(q * values.length) - 1];
      long got = h.percentile(q);
      assertTrue(got >= exact && got <= exact + exact / 16 + 1,
          "seed " + seed + " q " + q + ": exact " + exact + " got " + got);
    }
    assertEquals(values[values.length - 1], h.max());
    assertEquals(values.length, h.count());
  }

  @Test
  void bucketsCoverTheirValues() {
    for (long v : new long[] {0, 1, 15, 16, 17, 31, 32, 1000, 123_456_789, Long.MAX_VALUE}) {
      int b = LatencyHistogram.bucket(v);
      assertTrue(LatencyHistogram.upperBound(b) >= v, "value " + v);
      assertTrue(b == 0 || LatencyHistogram.upperBound(b - 1) < v, "value " + v);
    }
  }

  @Test
  void emptyAndBadQuantiles() {
    LatencyHistogram h = new LatencyHistogram();
    assertEquals(0, h.percentile(0.5));
    assertThrows(IllegalArgumentException.class, () -> h.percentile(1.5));
  }
}
