package org.guestmem.cli.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * A PNG of one bar per category and series. On a logarithmic axis, values below 1 are drawn as 1 (a log axis has
   * no zero); the caption should say so.
   *
   * @param series series name to one value per category, in category order
   */
  public static byte[] bars(String title, String yTitle, List<String> categories, Map<String, List<Double>> series,
      boolean logarithmic) {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
        .build();
    var styler = chart.getStyler();
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    styler.setYAxisLogarithmic(logarithmic);
    if (logarithmic) {
      styler.setYAxisMin(0.5); // bars grow from the axis minimum, which XChart would otherwise put at 0
    }
    styler.setXAxisLabelRotation(categories.size() > 4 ? 20 : 0);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotGridVerticalLinesVisible(false);
    styler.setSeriesColors(PALETTE);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setLabelsVisible(false);
    for (Map.Entry<String, List<Double>> s : series.entrySet()) {
      List<Double> ys = new ArrayList<>();
      for (Double v : s.getValue()) {
        ys.add(logarithmic ? Math.max(1.0, v) : v);
      }
      chart.addSeries(s.getKey(), categories, ys);
    }
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart '" + title + "': " + e.getMessage(), e);
    }
  }
}
