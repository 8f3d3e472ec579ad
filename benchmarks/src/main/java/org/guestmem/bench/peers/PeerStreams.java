package org.guestmem.bench.peers;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.guestmem.bench.store.DataSet;
import org.guestmem.bench.store.SetCycle;
import org.guestmem.workload.OpKind;
import org.guestmem.workload.OpStream;
import org.guestmem.workload.Workload;
import org.guestmem.workload.WorkloadSpec;
import org.guestmem.workload.Workloads;

/**
 * The streams of the peer table, made from the store benchmarks' data sets and from the named workloads.
 *
 * <ul>
 *   <li>A data set: fill with its shared runs (last first); {@code SET} and {@code CONVERT} both replay the store benchmark's set
 *       cycle (2,048 windows of 1 to 512 blocks, then their undo), which leaves the data set as it was; 4,096 queries
 *       of such windows; 4,096 iterations of 64 runs from random blocks.
 *   <li>A workload: its conversions (share and make-private; plug and unplug are not attribute changes and are left
 *       out) over a region of {@code size} bytes in 4 KiB blocks, as one {@code CONVERT} phase from all private.
 * </ul>
 */
public final class PeerStreams {
  static final int WINDOWS = 4096;
  static final int FORWARD_SETS = 2048;
  static final int MAX_WINDOW = 512;
  static final int RUNS_PER_ITERATE = 64;
  static final long BLOCK = 4096;

  private PeerStreams() {}

  /** The stream of data set {@code data}. */
  public static PeerStream of(DataSet data) {
    long blocks = data.blocks();
    // Shared runs from the last to the first: QEMU's algorithm asks find_next_bit over the rest of the bitmap before
    // each change, which in ascending order scans to the end of a still-empty bitmap every time (quadratic, untimed
    // but hours at 2^32 blocks); in descending order it stops at the run filled just before.
    long[] fill = new long[(data.runs() / 2 + 1) * 3];
    int n = 0;
    int last = data.runs() - 2; // the last flip index
    for (int i = last - Math.floorMod(last, 2); i >= 0; i -= 2) {
      fill[n++] = data.flip(i);
      fill[n++] = i + 1 < data.runs() - 1 ? data.flip(i + 1) : blocks;
      fill[n++] = 1;
    }
    SplittableRandom rnd = new SplittableRandom(0x5e7);
    long[] query = new long[WINDOWS * 3];
    long[] iterate = new long[WINDOWS * 3];
    for (int i = 0; i < WINDOWS; i++) {
      query[3 * i] = rnd.nextLong(blocks - MAX_WINDOW);
      query[3 * i + 1] = query[3 * i] + 1 + rnd.nextInt(MAX_WINDOW);
      iterate[3 * i] = rnd.nextLong(blocks);
      iterate[3 * i + 1] = RUNS_PER_ITERATE;
    }
    SetCycle cycle = SetCycle.of(data, rnd, FORWARD_SETS, MAX_WINDOW);
    long[] sets = new long[cycle.size() * 3];
    for (int i = 0; i < cycle.size(); i++) {
      sets[3 * i] = cycle.from(i);
      sets[3 * i + 1] = cycle.to(i);
      sets[3 * i + 2] = cycle.state(i);
    }
    return new PeerStream(blocks, List.of(new PeerStream.Phase(PhaseKind.FILL, java.util.Arrays.copyOf(fill, n)),
        new PeerStream.Phase(PhaseKind.SET, sets), new PeerStream.Phase(PhaseKind.QUERY, query),
        new PeerStream.Phase(PhaseKind.ITERATE, iterate), new PeerStream.Phase(PhaseKind.CONVERT, sets)));
  }

  /**
   * The conversions of workload {@code name} over {@code size} bytes (a multiple of 4 KiB), seed {@code seed},
   * {@code ops} operations (0: the workload's default).
   */
  public static PeerStream of(String name, long size, long seed, long ops) {
    Workload w = Workloads.named(name);
    long[] conv = new long[3 * 1024];
    int n = 0;
    try (OpStream s = w.ops(new WorkloadSpec(size, BLOCK, seed, ops))) {
      while (s.next()) {
        if (s.kind() != OpKind.SHARE && s.kind() != OpKind.PRIVATE) {
          continue;
        }
        if (n + 3 > conv.length) {
          conv = java.util.Arrays.copyOf(conv, conv.length * 2);
        }
        conv[n++] = s.offset() / BLOCK;
        conv[n++] = (s.offset() + s.length()) / BLOCK;
        conv[n++] = s.kind() == OpKind.SHARE ? 1 : 0;
      }
    }
    List<PeerStream.Phase> phases = new ArrayList<>();
    phases.add(new PeerStream.Phase(PhaseKind.FILL, new long[0]));
    phases.add(new PeerStream.Phase(PhaseKind.CONVERT, java.util.Arrays.copyOf(conv, n)));
    return new PeerStream(size / BLOCK, phases);
  }
}
