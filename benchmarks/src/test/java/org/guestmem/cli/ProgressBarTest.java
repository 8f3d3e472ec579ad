package org.guestmem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress display on a terminal (one line, within the width) and off one (plain lines), on a fake clock. */
class ProgressBarTest {
  static final long SECOND = 1_000_000_000L;
  long now;

  @Test
  void onATerminalEveryDrawFitsTheWidthAndShowsTheEta() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    String label = "checkerboard bitmap/iommufd/granule with a label longer than any terminal is wide".repeat(2);
    for (int columns : new int[] {40, 80, 132}) {
      bytes.reset();
      now = 0;
      try (ProgressBar bar = new ProgressBar(err, label, true, columns, () -> now)) {
        bar.update(5, 100); // within the first second: nothing
        assertEquals(0, bytes.size());
        for (int i = 1; i <= 20; i++) {
          now = i * SECOND;
          bar.update(i * 4L, 100);
        }
      }
      String out = bytes.toString(StandardCharsets.UTF_8);
      assertFalse(out.contains("\n"), "one line redrawn: " + out);
      String[] draws = out.split("\r");
      assertTrue(draws.length > 10, out);
      for (String d : draws) {
        assertTrue(d.length() < columns, "columns " + columns + ": " + d.length() + " chars: '" + d + "'");
      }
      // At 10 s with 40 of 100 done, 15 s are left.
      assertTrue(out.contains("40/100 ETA 15 s"), out);
      assertTrue(columns < 80 || out.contains("40/100 ETA 15 s (10 s)"), "the time spent where there is room");
      assertTrue(draws[draws.length - 1].isBlank(), "erased at the end");
    }
  }

  @Test
  void offATerminalPlainLinesEveryTenSecondsWithoutCarriageReturns() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    now = 0;
    try (ProgressBar bar = new ProgressBar(err, "dynamic-dma", false, 80, () -> now)) {
      for (int i = 1; i <= 300; i++) {
        now = i * SECOND / 10;
        bar.update(i, 300);
      }
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertFalse(out.contains("\r"), out);
    assertEquals(3, out.lines().count(), "at 10 s, 20 s and 30 s: " + out);
    assertTrue(out.lines().allMatch(l -> l.startsWith("progress: ") && l.endsWith(": dynamic-dma")), out);
    assertTrue(out.contains("progress:  33% 100/300, 10 s elapsed, ETA 20 s"), out);
  }

  @Test
  void anUnknownTotalShowsTheCountAndNoEta() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    now = 0;
    try (ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "", false, 80,
        () -> now)) {
      now = 11 * SECOND;
      bar.update(1234, -1);
    }
    assertEquals("progress: 1,234, 11 s elapsed" + System.lineSeparator(), bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void columnsComeFromTheEnvironmentElse80() {
    assertEquals(80, ProgressBar.columns(null));
    assertEquals(80, ProgressBar.columns("wide"));
    assertEquals(132, ProgressBar.columns(" 132 "));
  }
}
