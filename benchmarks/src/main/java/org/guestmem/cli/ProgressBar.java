package org.guestmem.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.guestmem.cli.replay.ReplayRunner;

/**
 * A one-line progress bar on stderr that appears only once a run has taken more than a second, so short runs print
 * nothing extra, and is erased when the run ends. Redraws at most ten times a second on a terminal, once a second
 * otherwise.
 */
final class ProgressBar implements ReplayRunner.Progress, AutoCloseable {
  private static final int WIDTH = 30;
  private final PrintStream err;
  private final long start = System.nanoTime();
  private final long minInterval;
  private String label;
  private long lastDraw;
  private boolean drawn;

  ProgressBar(PrintStream err, String label) {
    this.err = err;
    this.label = label;
    this.minInterval = System.console() != null ? 100_000_000L : 1_000_000_000L;
  }

  void label(String label) {
    this.label = label;
  }

  @Override
  public void update(long done, long total) {
    long now = System.nanoTime();
    if (now - start < 1_000_000_000L || now - lastDraw < minInterval) {
      return;
    }
    lastDraw = now;
    StringBuilder line = new StringBuilder("\r[");
    if (total > 0) {
      int filled = (int) Math.min(WIDTH, done * WIDTH / total);
      line.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append(String.format(Locale.ROOT,
          "] %3d%% %s/%s", Math.min(100, done * 100 / total), Units.count(done), Units.count(total)));
    } else {
      line.append("?".repeat(WIDTH)).append("] ").append(Units.count(done));
    }
    line.append("  ").append(label).append("  ").append(Units.nanos(now - start)).append("   ");
    err.print(line);
    err.flush();
    drawn = true;
  }

  @Override
  public void close() {
    if (drawn) {
      err.print("\r" + " ".repeat(WIDTH + 100) + "\r");
      err.flush();
      drawn = false;
    }
  }
}
