package org.guestmem.bench.store;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;

/**
 * The range sets the store benchmarks replay: {@code forward} sets of a window of 1 to {@code maxWindow} blocks at a
 * random place to a random state, then the sets that restore each window's original runs, newest first, so the data
 * set is the same after the cycle as before it however often it is replayed. Recorded on an {@code intervaltree}
 * store holding the data set.
 */
public final class SetCycle {
  private final long[] from;
  private final long[] to;
  private final byte[] state;

  private SetCycle(long[] from, long[] to, byte[] state) {
    this.from = from;
    this.to = to;
    this.state = state;
  }

  /** The cycle for {@code data}, its windows drawn from {@code rnd}. */
  public static SetCycle of(DataSet data, SplittableRandom rnd, int forward, int maxWindow) {
    StateStore ref = (StateStore) RunSubject.filled("intervaltree", data).retained();
    long[][] undo = new long[forward][];
    long[] f = new long[forward];
    long[] t = new long[forward];
    byte[] s = new byte[forward];
    int undoCount = 0;
    for (int i = 0; i < forward; i++) {
      f[i] = rnd.nextLong(data.blocks() - maxWindow);
      t[i] = f[i] + 1 + rnd.nextInt(maxWindow);
      s[i] = (byte) rnd.nextInt(2);
      long[] runs = new long[16];
      int n = 0;
      RunCursor c = ref.runs(f[i], t[i]);
      while (c.next()) {
        if (n + 3 > runs.length) {
          runs = Arrays.copyOf(runs, runs.length * 2);
        }
        runs[n++] = c.start();
        runs[n++] = c.end();
        runs[n++] = c.state();
      }
      undo[i] = Arrays.copyOf(runs, n);
      undoCount += n / 3;
      ref.set(f[i], t[i], s[i]);
    }
    int total = forward + undoCount;
    long[] from = Arrays.copyOf(f, total);
    long[] to = Arrays.copyOf(t, total);
    byte[] state = Arrays.copyOf(s, total);
    int k = forward;
    for (int i = forward - 1; i >= 0; i--) {
      for (int r = 0; r < undo[i].length; r += 3) {
        from[k] = undo[i][r];
        to[k] = undo[i][r + 1];
        state[k] = (byte) undo[i][r + 2];
        k++;
      }
    }
    return new SetCycle(from, to, state);
  }

  /** Number of sets in the cycle. */
  public int size() {
    return from.length;
  }

  public long from(int i) {
    return from[i];
  }

  public long to(int i) {
    return to[i];
  }

  public int state(int i) {
    return state[i];
  }
}
