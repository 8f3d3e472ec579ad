package org.guestmem.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;

class LogScaleTest {
  private static List<String> labels(List<LogScale.Tick> ticks) {
    return ticks.stream().map(LogScale.Tick::label).toList();
  }

  @Test
  void byteTicksArePowersOfFourInTheirUnitFromBelowTheSmallestToAtOrAboveTheLargest() {
    List<LogScale.Tick> ticks = LogScale.BYTES.ticks(360, 96L << 20);
    assertEquals(List.of("64 B", "256 B", "1 KiB", "4 KiB", "16 KiB", "64 KiB", "256 KiB", "1 MiB", "4 MiB",
        "16 MiB", "64 MiB", "256 MiB"), labels(ticks));
    for (LogScale.Tick t : ticks) {
      assertEquals(1L << (2 * t.exponent()), t.value(), t.toString());
      assertEquals(t.exponent(), LogScale.BYTES.position(t.value()), 1e-9, "a tick is a whole number on the axis");
    }
    double at360 = LogScale.BYTES.position(360);
    assertTrue(at360 > 4 && at360 < 5, "360 B lies between 256 B and 1 KiB, not on 1 KiB: " + at360);
    assertEquals("4 EiB", LogScale.BYTES.tickLabel(31));
    assertEquals("1 GiB", LogScale.BYTES.tickLabel(15));
  }

  @Test
  void countAndTimeTicksArePowersOfTenWithTheirUnits() {
    assertEquals(List.of("10", "100", "1,000", "10,000", "100,000", "1,000,000"),
        labels(LogScale.COUNT.ticks(536, 262_168)));
    assertEquals(List.of("1", "10", "100", "1,000", "10,000", "100,000"), labels(LogScale.COUNT.ticks(1, 65_535)),
        "the top tick is at or above the largest value (type1's limit)");
    assertEquals(List.of("10 ns", "100 ns", "1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms"),
        labels(LogScale.NANOS.ticks(191, 41_000_000)));
    assertEquals("10 s", LogScale.NANOS.tickLabel(10));
  }

  @Test
  void aValueExactlyOnATickEndsTheAxisThereAndLabelsOfValuesStayTrue() {
    assertEquals(List.of("4 B", "16 B", "64 B", "256 B", "1 KiB"), labels(LogScale.BYTES.ticks(16, 1024)),
        "from one step below 16 B to 1 KiB itself");
    assertEquals("360 B", LogScale.BYTES.valueLabel(360));
    assertEquals("3.7 KiB", LogScale.BYTES.valueLabel(3789));
    assertEquals("703 ns", LogScale.NANOS.valueLabel(703));
    assertThrows(IllegalArgumentException.class, () -> LogScale.BYTES.ticks(0, 10));
    assertThrows(IllegalArgumentException.class, () -> LogScale.COUNT.ticks(10, 5));
  }

  @Test
  void randomRangesAlwaysGetRoundLabelledTicksCoveringEveryValue() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 1_000; i++) {
      LogScale scale = LogScale.values()[random.nextInt(LogScale.values().length)];
      double a = Math.pow(scale.base(), random.nextDouble(0, scale.maxExponent() - 1));
      double b = Math.pow(scale.base(), random.nextDouble(0, scale.maxExponent() - 1));
      List<LogScale.Tick> ticks = scale.ticks(Math.min(a, b), Math.max(a, b));
      String what = "seed " + seed + ", " + scale + " [" + Math.min(a, b) + ", " + Math.max(a, b) + "]: " + ticks;
      assertTrue(ticks.get(0).value() <= Math.min(a, b), what);
      assertTrue(ticks.get(ticks.size() - 1).value() >= Math.max(a, b) * (1 - 1e-9), what);
      for (LogScale.Tick t : ticks) {
        assertTrue(t.label().matches("[1-9][0-9,]* ?(B|KiB|MiB|GiB|TiB|PiB|EiB|ns|µs|ms|s)?"), what);
      }
    }
  }

  /**
   * The chart library picks where its ticks go from the axis range and a spacing hint: painted, every tick on the
   * axis it asked a label for is a whole number (a round value), from the bottom to the top, the top one included.
   * (It also asks for a step beyond either end, which it does not draw.)
   */
  @Test
  void theChartPutsItsTicksOnTheRoundValuesOnlyAndLabelsTheTop() {
    Map<String, List<Double>> memory = new LinkedHashMap<>();
    memory.put("store", List.of(360.0, 2.0 * (1 << 20), 384.0));
    memory.put("kernel", List.of(96.0 * (1 << 20), 201.0 * 1024, 0.0));
    checkTicks(memory, LogScale.BYTES, 3, 14);
    Map<String, List<Double>> wide = new LinkedHashMap<>();
    wide.put("latency", List.of(3.0, 3e9));
    checkTicks(wide, LogScale.NANOS, 0, 10);
    Map<String, List<Double>> entries = new LinkedHashMap<>();
    entries.put("peak", List.of(536.0, 262_168.0));
    checkTicks(entries, LogScale.COUNT, 1, 6);
  }

  private static void checkTicks(Map<String, List<Double>> series, LogScale scale, int bottom, int top) {
    List<String> categories = new ArrayList<>();
    for (int i = 0; i < series.values().iterator().next().size(); i++) {
      categories.add("c" + i);
    }
    CategoryChart chart = Charts.logChart("t", "y", categories, series, scale, null);
    List<Double> asked = new ArrayList<>();
    Function<Double, String> format = chart.getStyler().getyAxisTickLabelsFormattingFunction();
    chart.getStyler().setyAxisTickLabelsFormattingFunction(y -> {
      asked.add(y);
      return format.apply(y);
    });
    BufferedImage image = new BufferedImage(Charts.WIDTH, Charts.HEIGHT, BufferedImage.TYPE_INT_RGB);
    chart.paint(image.createGraphics(), Charts.WIDTH, Charts.HEIGHT);
    // Drawn at the exponent less the bottom tick's: the axis runs from 0 to top - bottom.
    List<Double> bars = series.values().stream().flatMap(List::stream).filter(v -> v != null && v > 0)
        .map(v -> scale.position(v) - bottom).toList();
    List<Double> ticks = asked.stream().filter(y -> bars.stream().noneMatch(b -> Math.abs(b - y) < 1e-12))
        .filter(y -> y >= -1e-9 && y <= top - bottom + 1e-9).distinct().sorted().toList();
    assertTrue(ticks.size() >= 3, scale + " ticks: " + ticks + " of " + asked);
    for (double y : ticks) {
      assertEquals(Math.rint(y), y, 1e-9, scale + ": a tick off the round values: " + ticks);
    }
    assertEquals(0, ticks.get(0), 1e-9, scale + ": the bottom of the axis is a tick: " + ticks);
    assertEquals(top - bottom, ticks.get(ticks.size() - 1), 1e-9,
        scale + ": the top of the axis is a labelled tick: " + ticks);
    assertEquals(scale.tickLabel(bottom), format.apply(0.0));
    assertEquals(scale.tickLabel(top), format.apply((double) (top - bottom)));
  }

  @Test
  void valuesBelowOneKeepTheirTruePlaceAndLabelOnAnAxisReachingBelowOne() {
    assertEquals(List.of("0.0625 B", "0.25 B", "1 B", "4 B", "16 B", "64 B"), labels(LogScale.BYTES.ticks(0.25, 40)));
    assertEquals(List.of("0.01", "0.1", "1", "10"), labels(LogScale.COUNT.ticks(0.5, 10)));
    assertEquals(List.of("0.01 ns", "0.1 ns", "1 ns", "10 ns"), labels(LogScale.NANOS.ticks(0.2, 3)));
    assertEquals(List.of("0.001", "0.01", "0.1", "1"), labels(LogScale.COUNT.ticks(1e-9, 1)),
        "clamped at a thousandth");
    assertEquals("0.25 B", LogScale.BYTES.valueLabel(0.25));
    assertEquals("2.37 B", LogScale.BYTES.valueLabel(2.371));
    assertEquals("2 B", LogScale.BYTES.valueLabel(2.0000000000000004));
    assertEquals("0.5", LogScale.COUNT.valueLabel(0.5));
    assertEquals("3.5 ns", LogScale.NANOS.valueLabel(3.5));
    assertEquals("12 B", LogScale.BYTES.valueLabel(12.4), "from 10 on, whole as the tables print them");
    assertEquals(0.0625, LogScale.BYTES.ticks(0.25, 40).get(0).value(), 0);
  }

  /**
   * A chart of a value below 1, a large one and a missing one: the small bar grows from the bottom of the axis (it
   * is not drawn as 1, nor below the axis), carries its true value as its label, and the missing value has no bar.
   */
  @Test
  void aBarBelowOneGrowsFromTheBottomWithItsValueAndAMissingValueHasNone() {
    Map<String, List<Double>> bytes = new LinkedHashMap<>();
    bytes.put("bitmap", java.util.Arrays.asList(0.25, 40.0));
    bytes.put("maple", java.util.Arrays.asList(null, 600.0));
    CategoryChart chart = Charts.logChart("t", "y", List.of("dense", "sparse"), bytes, LogScale.BYTES, null);
    List<? extends Number> bitmap = chart.getSeriesMap().get("bitmap").getYData().stream().toList();
    List<? extends Number> maple = chart.getSeriesMap().get("maple").getYData().stream().toList();
    assertEquals(1.0, bitmap.get(0).doubleValue(), 1e-9, "0.25 B is one step above the bottom tick 0.0625 B");
    assertEquals(LogScale.BYTES.position(600) + 2, maple.get(1).doubleValue(), 1e-9);
    assertEquals(null, maple.get(0), "a missing value has no bar");
    assertTrue(chart.getStyler().isLabelsVisible(), "bars carry their values");
    Function<Double, String> format = chart.getStyler().getyAxisTickLabelsFormattingFunction();
    assertEquals("0.0625 B", format.apply(0.0));
    assertEquals("1 B", format.apply(2.0));
    assertEquals("1 KiB", format.apply(chart.getStyler().getYAxisMax()), "the top is the first tick above 600 B");
    assertEquals("40 B", format.apply(bitmap.get(1).doubleValue()));
    assertEquals("600 B", format.apply(maple.get(1).doubleValue()));
    checkTicks(bytes, LogScale.BYTES, -2, 5);
  }
}
