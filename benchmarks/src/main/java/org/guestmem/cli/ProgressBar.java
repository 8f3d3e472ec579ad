package org.guestmem.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.guestmem.cli.replay.ReplayRunner;

/**
 * Progress of a run on stderr, shown only once the run has taken more than a second, so short runs print nothing
 * extra. On a terminal: one line redrawn at most ten times a second, cut to the terminal's width ({@code COLUMNS},
 * else 80) and erased at the end. Elsewhere (a file, a CI log): a plain line every ten seconds, never a carriage
 * return. Both show the estimated time left once the total is known.
 */
final class ProgressBar implements ReplayRunner.Progress, AutoCloseable {
  private static final long SECOND = 1_000_000_000L;
  private static final long FIRST_DRAW = SECOND;
  private static final long TERMINAL_INTERVAL = SECOND / 10;
  private static final long PLAIN_INTERVAL = 10 * SECOND;
  private static final int MIN_BAR = 10;

  private final PrintStream err;
  private final boolean terminal;
  private final int columns;
  private final LongSupplier clock;
  private final long start;
  private String label;
  private long lastDraw;
  private int drawnWidth;

  /**
   * @param terminal whether {@code err} is a terminal (redraw one line) or not (print plain lines)
   * @param columns the terminal's width; lines stay one column short of it so the cursor never wraps
   * @param clock nanoseconds, {@link System#nanoTime()} but in tests
   */
  ProgressBar(PrintStream err, String label, boolean terminal, int columns, LongSupplier clock) {
    this.err = err;
    this.label = label;
    this.terminal = terminal;
    this.columns = Math.max(40, columns);
    this.clock = clock;
    this.start = clock.getAsLong();
    this.lastDraw = start;
  }

  /** A bar on {@link System#err}, a terminal when the JVM has a console, as wide as {@code COLUMNS} says. */
  static ProgressBar onStderr(String label) {
    return new ProgressBar(System.err, label, System.console() != null, columns(System.getenv("COLUMNS")),
        System::nanoTime);
  }

  /** The terminal width from {@code COLUMNS}; 80 when it is unset or not a number. */
  static int columns(String env) {
    try {
      return env == null ? 80 : Integer.parseInt(env.trim());
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  void label(String label) {
    this.label = label;
  }

  @Override
  public void update(long done, long total) {
    long now = clock.getAsLong();
    long elapsed = now - start;
    if (elapsed < FIRST_DRAW || now - lastDraw < (terminal ? TERMINAL_INTERVAL : PLAIN_INTERVAL)) {
      return;
    }
    lastDraw = now;
    if (terminal) {
      String line = terminalLine(done, total, elapsed);
      err.print("\r" + line + " ".repeat(Math.max(0, drawnWidth - line.length())));
      drawnWidth = line.length();
    } else {
      err.println(plainLine(done, total, elapsed));
    }
    err.flush();
  }

  /**
   * {@code [####......]  42% 1,234/5,678 ETA 1m05s (12 s)  label}, at most {@code columns - 1} characters: the label
   * is shortened first, then the elapsed time dropped.
   */
  String terminalLine(long done, long total, long elapsed) {
    String figures = count(done, total) + eta(done, total, elapsed);
    String spent = " (" + duration(elapsed) + ")";
    int room = columns - 1 - figures.length() - 3;
    int bar = Math.max(MIN_BAR, Math.min(30, room / 2));
    if (bar + 3 + figures.length() + spent.length() < columns) {
      figures += spent;
    }
    StringBuilder line = new StringBuilder("[");
    if (total > 0) {
      int filled = (int) Math.min(bar, done * (double) bar / total);
      line.append("#".repeat(filled)).append(".".repeat(bar - filled));
    } else {
      line.append("?".repeat(bar));
    }
    line.append("] ").append(figures);
    int left = columns - 1 - line.length() - 2;
    if (left > 3 && !label.isEmpty()) {
      line.append("  ").append(label.length() <= left ? label : label.substring(0, left - 3) + "...");
    }
    return line.length() < columns ? line.toString() : line.substring(0, columns - 1);
  }

  /** {@code progress: 42% 1,234/5,678, 12.3 s elapsed, ETA 17 s: label}. */
  String plainLine(long done, long total, long elapsed) {
    return "progress: " + figures(done, total, elapsed) + (label.isEmpty() ? "" : ": " + label);
  }

  private static String figures(long done, long total, long elapsed) {
    String eta = eta(done, total, elapsed);
    return count(done, total) + ", " + duration(elapsed) + " elapsed" + (eta.isEmpty() ? "" : "," + eta);
  }

  private static String count(long done, long total) {
    return total > 0 ? String.format(Locale.ROOT, "%3d%% %s/%s", Math.min(100, Math.round(done * 100.0 / total)),
        Units.count(done), Units.count(total)) : Units.count(done);
  }

  /** {@code " ETA 15 s"}: the time left at the rate so far; empty while it cannot be estimated. */
  private static String eta(long done, long total, long elapsed) {
    return total > 0 && done > 0 && done < total
        ? " ETA " + duration((long) (elapsed * ((double) (total - done) / done))) : "";
  }

  /** {@code 850 ms}, {@code 42 s}, {@code 3m07s}, {@code 2h05m}: coarse, as an estimate deserves. */
  static String duration(long nanos) {
    long s = nanos / SECOND;
    if (s < 1) {
      return nanos / 1_000_000 + " ms";
    }
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }

  @Override
  public void close() {
    if (terminal && drawnWidth > 0) {
      err.print("\r" + " ".repeat(drawnWidth) + "\r");
      err.flush();
      drawnWidth = 0;
    }
  }
}
