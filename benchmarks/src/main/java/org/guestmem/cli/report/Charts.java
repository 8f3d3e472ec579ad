package org.guestmem.cli.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Grouped bar charts rendered to PNG with XChart, headless. */
public final class Charts {
  static final int WIDTH = 1200;
  static final int HEIGHT = 520;
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd)};

  private Charts() {}

  /** A horizontal line across a chart at {@code value}, with a label: a limit the bars are measured against. */
  public record Limit(double value, String label) {}

  /**
   * A PNG of one bar per category and series. On a logarithmic axis, values below 1 are drawn as 1 (a log axis has
   * no zero); the caption should say so.
   *
   * @param series series name to one value per category, in category order
   */
  public static byte[] bars(String title, String yTitle, List<String> categories, Map<String, List<Double>> series,
      boolean logarithmic) {
    CategoryChart chart = chart(title, yTitle, categories.size(), logarithmic);
    if (logarithmic) {
      chart.getStyler().setYAxisMin(0.5); // bars grow from the axis minimum, which XChart would otherwise put at 0
    }
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      List<Double> ys = new ArrayList<>();
      for (Double v : s.getValue()) {
        ys.add(logarithmic ? Math.max(1.0, v) : v);
      }
      chart.addSeries(s.getKey(), categories, ys);
    }
    return png(chart, title);
  }

  /**
   * A PNG of one bar per category and series on a logarithmic scale whose ticks sit at round values of
   * {@code scale}'s unit family, each labelled with its unit (1 KiB, 4 KiB, ...; 1 µs, 10 µs, ...), the top of the
   * axis a labelled tick; each bar carries its value, true below any unit (a 360 B bar ends between 256 B and
   * 1 KiB) and below 1 (a 0.25 B bar ends between 0.0625 B and 1 B); a zero or null (a missing value) has no bar (a
   * log scale has no zero). {@code limit}, if not null, is drawn as a labelled line.
   *
   * <p>The bars are drawn as the logarithm in the scale's base, less the bottom tick's, on a linear axis from 0, so
   * that the ticks fall on whole numbers and every bar grows from the bottom of the axis: the log axis of the chart
   * library labels its ticks in powers of ten ("1E4") and cannot take a formatter.
   *
   * @param series series name to one value per category, in category order; null for a missing value
   */
  public static byte[] bars(String title, String yTitle, List<String> categories, Map<String, List<Double>> series,
      LogScale scale, Limit limit) {
    return png(logChart(title, yTitle, categories, series, scale, limit), title);
  }

  /** The chart {@link #bars(String, String, List, Map, LogScale, Limit)} draws, laid out and ready to paint. */
  static CategoryChart logChart(String title, String yTitle, List<String> categories,
      Map<String, List<Double>> series, LogScale scale, Limit limit) {
    CategoryChart chart = chart(title, yTitle, categories.size(), false);
    var styler = chart.getStyler();
    double smallest = Double.MAX_VALUE;
    double largest = 0;
    for (List<Double> values : series.values()) {
      for (Double v : values) {
        if (v != null && v > 0) {
          smallest = Math.min(smallest, v);
          largest = Math.max(largest, v);
        }
      }
    }
    if (limit != null) {
      smallest = Math.min(smallest, limit.value());
      largest = Math.max(largest, limit.value());
    }
    if (largest == 0) {
      smallest = 1;
      largest = 1;
    }
    List<LogScale.Tick> ticks = scale.ticks(smallest, largest);
    int bottom = ticks.get(0).exponent();
    int steps = ticks.get(ticks.size() - 1).exponent() - bottom;
    styler.setYAxisMin(0.0);
    styler.setYAxisMax((double) steps);
    // The tick labels and the bars' value labels share one formatter in the chart library: a whole number on the
    // drawn axis is a tick (and a bar of exactly that value, labelled the same), anything else a bar's value.
    styler.setyAxisTickLabelsFormattingFunction(y -> {
      long whole = Math.round(y);
      return Math.abs(y - whole) < 1e-9 && whole >= 0 && whole <= steps ? scale.tickLabel((int) whole + bottom)
          : scale.valueLabel(Math.pow(scale.base(), y + bottom));
    });
    styler.setYAxisTickMarkSpacingHint(tickSpacing(steps));
    styler.setLabelsVisible(true);
    styler.setLabelsRotation(90);
    styler.setLabelsPosition(0.95);
    styler.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    styler.setLabelsFontColorAutomaticEnabled(false);
    styler.setLabelsFontColor(Color.BLACK);
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      List<Double> ys = new ArrayList<>();
      for (Double v : s.getValue()) {
        ys.add(v != null && v > 0 ? scale.position(v) - bottom : null);
      }
      chart.addSeries(s.getKey(), categories, ys);
    }
    if (limit != null) {
      double at = scale.position(limit.value()) - bottom;
      chart.addAnnotation(new AnnotationLine(at, false, false));
      chart.addAnnotation(new AnnotationText(limit.label(), 0.5, at, false));
    }
    return chart;
  }

  /** The smallest room a tick label needs, in pixels: one line of the tick font and some air. */
  static final int MIN_TICK_PIXELS = 22;

  /**
   * The tick spacing hint for {@code steps} whole steps on the axis: the chart library turns the hint into a grid
   * step of 1, 2, 5 or 10 times a power of ten (of the axis's span per hinted pixels); a hint of exactly one step's
   * height asks for a step of 1 (every tick), and a multiple k of it for a step of about k (every k-th, still a
   * round value) when the steps are too close for their labels.
   */
  static int tickSpacing(int steps) {
    double stepPixels = (double) PLOT_HEIGHT / Math.max(1, steps);
    int every = 1;
    while (stepPixels * every < MIN_TICK_PIXELS) {
      every = every == 1 ? 2 : every == 2 ? 5 : every * 2;
    }
    return (int) Math.round(stepPixels * every);
  }

  /** The plot's height within the {@link #HEIGHT}-pixel chart (title, axis labels and legend take the rest). */
  static final int PLOT_HEIGHT = 330;

  private static CategoryChart chart(String title, String yTitle, int categories, boolean logarithmic) {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
        .build();
    var styler = chart.getStyler();
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setYAxisLogarithmic(logarithmic);
    styler.setXAxisLabelRotation(categories > 4 ? 20 : 0);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridVerticalLinesVisible(false);
    styler.setSeriesColors(PALETTE);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setLabelsVisible(false);
    return chart;
  }

  private static byte[] png(CategoryChart chart, String title) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart '" + title + "': " + e.getMessage(), e);
    }
  }
}
