package org.guestmem.cli.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.guestmem.cli.Units;

/**
 * A logarithmic axis whose ticks sit at round values of one unit family, each labelled exactly with its unit: bytes
 * at powers of 4 (1 B, 4 B, ... 256 B, 1 KiB, 4 KiB, ... 1 MiB), counts and nanoseconds at powers of 10 (1, 10,
 * 100, 1,000; 1 ns ... 1 µs ... 1 s). A value is drawn at its logarithm in the family's base, so that every tick is
 * a whole number on the drawn axis and a value between ticks keeps its true place (a 360 B bar ends between 256 B
 * and 1 KiB, not at 1 KiB). Values below 1 keep theirs too: the axis then reaches below 1 (0.25 B, 0.0625 B; 0.1,
 * 0.01), down to a thousandth.
 */
public enum LogScale {
  /** Bytes, ticks at powers of 4. */
  BYTES(4) {
    @Override
    String tickLabel(int exponent) {
      if (exponent < 0) {
        return fraction(exponent) + " B";
      }
      int bits = 2 * exponent;
      String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
      int unit = Math.min(bits / 10, units.length - 1);
      return (1L << (bits - 10 * unit)) + " " + units[unit];
    }

    @Override
    String valueLabel(double value) {
      return value < 10 ? significant(value) + " B" : Units.bytes(Math.round(value));
    }
  },
  /** Plain counts, ticks at powers of 10. */
  COUNT(10) {
    @Override
    String tickLabel(int exponent) {
      return exponent < 0 ? fraction(exponent) : Units.count(pow10(exponent));
    }

    @Override
    String valueLabel(double value) {
      return value < 10 ? significant(value) : Units.count(Math.round(value));
    }
  },
  /** Nanoseconds, ticks at powers of 10 in ns, µs, ms and s. */
  NANOS(10) {
    @Override
    String tickLabel(int exponent) {
      if (exponent < 0) {
        return fraction(exponent) + " ns";
      }
      String[] units = {"ns", "µs", "ms", "s"};
      int unit = Math.min(exponent / 3, units.length - 1);
      return pow10(exponent - 3 * unit) + " " + units[unit];
    }

    @Override
    String valueLabel(double value) {
      return value < 10 ? significant(value) + " ns" : Units.nanos(Math.round(value));
    }
  };

  private final int base;
  /** The largest exponent with a tick, whose value still fits a long: 4^31 B = 4 EiB, 10^18. */
  private final int maxExponent;
  /** The smallest exponent with a tick, whose value is at least a thousandth: 4^-4 B = 1/256 B, 10^-3. */
  private final int minExponent;

  LogScale(int base) {
    this.base = base;
    this.maxExponent = (int) Math.floor(62 * Math.log(2) / Math.log(base) + 1e-9);
    this.minExponent = -(int) Math.floor(3 * Math.log(10) / Math.log(base) + 1e-9);
  }

  int maxExponent() {
    return maxExponent;
  }

  int minExponent() {
    return minExponent;
  }

  int base() {
    return base;
  }

  /** The label of the tick at {@code base^exponent}: a whole number and its unit. */
  abstract String tickLabel(int exponent);

  /** The label of a bar of {@code value}, rounded as the table rounds it; below 10 with three significant digits. */
  abstract String valueLabel(double value);

  /** {@code base^exponent} for a negative exponent, exactly, in decimal: 0.25, 0.0625; 0.1, 0.01. */
  String fraction(int exponent) {
    return BigDecimal.ONE.divide(BigDecimal.valueOf(base).pow(-exponent)).toPlainString();
  }

  /** {@code value} with three significant digits and no trailing zeros: 0.25, 2.37, 2. */
  static String significant(double value) {
    return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }

  /** Where {@code value} (positive) is drawn: its logarithm in the base. */
  double position(double value) {
    return Math.log(value) / Math.log(base);
  }

  /** One tick: the value, its exponent in the base (a whole number) and its label. */
  record Tick(double value, int exponent, String label) {}

  /**
   * The ticks of an axis showing values from {@code smallest} to {@code largest} (both positive): from one step
   * below the smallest value's, so that even the smallest bar is visible, to the first tick at or above the largest
   * value (the top of the axis is a labelled tick). The exponents are clamped to [0, {@link #maxExponent()}], or to
   * [{@link #minExponent()}, {@link #maxExponent()}] when the smallest value is below 1.
   *
   * @throws IllegalArgumentException if {@code smallest} is not positive or above {@code largest}
   */
  List<Tick> ticks(double smallest, double largest) {
    if (!(smallest > 0) || smallest > largest) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "axis range [%s, %s] must be positive and ascending", smallest, largest));
    }
    int floor = smallest < 1 ? minExponent : 0;
    int bottom = clamp((int) Math.floor(position(smallest) + 1e-9) - 1, floor);
    int top = clamp(Math.max(bottom + 1, (int) Math.ceil(position(largest) - 1e-9)), floor);
    List<Tick> ticks = new ArrayList<>();
    for (int e = bottom; e <= top; e++) {
      ticks.add(new Tick(Math.pow(base, e), e, tickLabel(e)));
    }
    return ticks;
  }

  private int clamp(int exponent, int floor) {
    return Math.max(floor, Math.min(maxExponent, exponent));
  }

  private static long pow10(int exponent) {
    long v = 1;
    for (int i = 0; i < exponent; i++) {
      v *= 10;
    }
    return v;
  }
}
