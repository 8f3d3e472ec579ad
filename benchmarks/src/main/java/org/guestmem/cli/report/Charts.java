package org.guestmem.cli.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
   * A PNG of one bar per category and series on a logarithmic scale whose ticks and bar labels are written by
   * {@code format} (e.g. {@code 360 B}, {@code 1.5 MiB}), so that values below any unit keep their true size; a zero
   * has no bar (a log scale has no zero). {@code limit}, if not null, is drawn as a labelled line.
   *
   * <p>The bars are drawn as the decimal logarithm on a linear axis: the log axis of the chart library labels its
   * ticks in powers of ten ("1E4") and cannot take a formatter.
   *
   * @param series series name to one value per category, in category order
   */
  public static byte[] bars(String title, String yTitle, List<String> categories, Map<String, List<Double>> series,
      Function<Double, String> format, Limit limit) {
    CategoryChart chart = chart(title, yTitle, categories.size(), false);
    var styler = chart.getStyler();
    double smallest = Double.MAX_VALUE;
    double largest = 1;
    for (List<Double> values : series.values()) {
      for (Double v : values) {
        if (v > 0) {
          smallest = Math.min(smallest, v);
          largest = Math.max(largest, v);
        }
      }
    }
    if (limit != null) {
      largest = Math.max(largest, limit.value());
    }
    // Bars grow from the axis minimum: a decade below the smallest value, so that even it has a visible bar.
    double bottom = Math.floor(Math.log10(smallest == Double.MAX_VALUE ? 1 : smallest)) - 1;
    double top = Math.ceil(Math.log10(largest * 1.5));
    styler.setYAxisMin(bottom);
    styler.setYAxisMax(top);
    styler.setYAxisTickMarkSpacingHint(40);
    styler.setyAxisTickLabelsFormattingFunction(exponent -> format.apply(Math.pow(10, exponent)));
    styler.setLabelsVisible(true);
    styler.setLabelsRotation(90);
    styler.setLabelsPosition(0.95);
    styler.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    styler.setLabelsFontColorAutomaticEnabled(false);
    styler.setLabelsFontColor(Color.BLACK);
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      List<Double> ys = new ArrayList<>();
      for (Double v : s.getValue()) {
        ys.add(v > 0 ? Math.log10(v) : null);
      }
      chart.addSeries(s.getKey(), categories, ys);
    }
    if (limit != null) {
      double at = Math.log10(limit.value());
      chart.addAnnotation(new AnnotationLine(at, false, false));
      chart.addAnnotation(new AnnotationText(limit.label(), 0.5, at, false));
    }
    return png(chart, title);
  }

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
