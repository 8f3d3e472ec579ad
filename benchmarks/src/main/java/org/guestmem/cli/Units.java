package org.guestmem.cli;

import java.util.Locale;

/** Human-readable numbers for the command line's tables (binary byte units, SI time units). */
public final class Units {
  private Units() {}

  /** {@code 33554432} as {@code "32.0 MiB"}; negative values as {@code "n/a"}. */
  public static String bytes(long b) {
    if (b < 0) {
      return "n/a";
    }
    if (b < 1024) {
      return b + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = b;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
  }

  /** A size as the command line takes it: {@code 1T}, {@code 4K}, or hex when it has no exact binary unit. */
  public static String size(long b) {
    String[] suffix = {"", "K", "M", "G", "T", "P"};
    int u = 0;
    while (u < suffix.length - 1 && b != 0 && (b & 1023) == 0) {
      b >>= 10;
      u++;
    }
    return b + suffix[u];
  }

  /** Nanoseconds as {@code "850 ns"}, {@code "12.3 µs"}, {@code "4.56 ms"} or {@code "1.23 s"}. */
  public static String nanos(long ns) {
    if (ns < 1_000) {
      return ns + " ns";
    }
    if (ns < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
    }
    if (ns < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
  }

  /** {@code 262144} as {@code "262,144"}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
