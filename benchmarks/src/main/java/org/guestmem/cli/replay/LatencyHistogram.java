package org.guestmem.cli.replay;

/**
 * Conversion latencies in nanoseconds, in log-linear buckets (16 per power of two, so a percentile is within 1/16 of
 * the true value) with the exact maximum. Recording allocates nothing. Not thread-safe.
 */
public final class LatencyHistogram {
  private static final int SUB_BITS = 4;
  private static final int SUB = 1 << SUB_BITS;
  private final long[] counts = new long[64 * SUB];
  private long total;
  private long max;
  private long sum;

  /** Records one latency of {@code nanos} (negative values count as 0). */
  public void record(long nanos) {
    long v = Math.max(0, nanos);
    counts[bucket(v)]++;
    total++;
    sum += v;
    if (v > max) {
      max = v;
    }
  }

  static int bucket(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exp = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
    int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
    return (exp - SUB_BITS + 1) * SUB + sub;
  }

  /** The largest value that falls in {@code bucket}. */
  static long upperBound(int bucket) {
    if (bucket < SUB) {
      return bucket;
    }
    int exp = bucket / SUB + SUB_BITS - 1;
    long sub = bucket % SUB;
    long low = (1L << exp) | (sub << (exp - SUB_BITS));
    return low + (1L << (exp - SUB_BITS)) - 1;
  }

  /** Values recorded. */
  public long count() {
    return total;
  }

  /** The largest value recorded, exactly; 0 if none. */
  public long max() {
    return max;
  }

  /** The mean, 0 if none. */
  public double mean() {
    return total == 0 ? 0 : (double) sum / total;
  }

  /**
   * The value at quantile {@code q} in {@code [0, 1]}: the upper bound of the bucket holding it, capped at the
   * maximum; 0 if nothing was recorded.
   */
  public long percentile(double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("quantile " + q + " is outside [0, 1]");
    }
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int b = 0; b < counts.length; b++) {
      seen += counts[b];
      if (seen >= rank) {
        return Math.min(upperBound(b), max);
      }
    }
    return max;
  }
}
