package org.guestmem.bench.peers;

import java.util.EnumMap;
import java.util.Map;
import org.guestmem.bench.store.StoreSubject;
import org.guestmem.config.Providers;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RamDiscardListener;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

/**
 * Replays a {@link PeerStream} on a guestmem state store found by provider name, measured as the native drivers
 * measure: warm-up rounds, then measured rounds, each on a fresh store filled by the {@code FILL} phase (untimed),
 * the best round's time per phase. {@code SET}, {@code QUERY} and {@code ITERATE} use the store through the SPI;
 * {@code CONVERT} uses an {@link AttributeManager} over the same store kind, brought untimed to the state the phases
 * before it left, with one listener that counts what it is told (no DMA). Bytes are the store's {@link StateStore#memoryBytes()} (the manager's store where conversions ran) (checked against JOL by the store tests).
 */
public final class JavaPeer {
  private final String store;

  /** A peer on the state store provider {@code store}; throws naming the known providers if there is none. */
  public JavaPeer(String store) {
    Providers.stateStore(store);
    this.store = store;
  }

  /** Replays {@code stream}: {@code warmup} unmeasured rounds, then {@code repeats} measured ones. */
  public PeerResult run(PeerStream stream, int warmup, int repeats) {
    StateStoreProvider provider = Providers.stateStore(store);
    Map<PhaseKind, Long> best = new EnumMap<>(PhaseKind.class);
    Map<PhaseKind, Long> checksums = new EnumMap<>(PhaseKind.class);
    long bytes = 0;
    RunWalk last = null;
    for (int round = 0; round < warmup + repeats; round++) {
      StateStore s = provider.create(stream.blocks(), 0);
      AttributeManager manager = null;
      CountingListener listener = new CountingListener();
      for (PeerStream.Phase phase : stream.phases()) {
        if (phase.kind() == PhaseKind.CONVERT && manager == null) {
          manager = manager(provider, stream, phase, listener);
        }
        long t0 = System.nanoTime();
        long sum = replay(phase, s, manager);
        long t = System.nanoTime() - t0;
        if (phase.kind() != PhaseKind.FILL) {
          checksums.put(phase.kind(), sum);
          if (round >= warmup) {
            best.merge(phase.kind(), t, Math::min);
          }
        }
      }
      if (round == warmup + repeats - 1) {
        // The state at the end is the manager's where conversions ran (a workload has nothing else), else the store's.
        bytes = manager != null ? manager.storeMemoryBytes() : s.memoryBytes();
        last = manager != null ? finalRuns(manager, stream.blocks()) : finalRuns(s);
      }
    }
    Map<PhaseKind, Double> ns = new EnumMap<>(PhaseKind.class);
    for (PeerStream.Phase p : stream.phases()) {
      if (p.kind() != PhaseKind.FILL) {
        ns.put(p.kind(), (double) best.get(p.kind()) / Math.max(1, p.weight()));
      }
    }
    return new PeerResult(store, ns, checksums, bytes, last.runs, last.hash);
  }

  /** A manager over a fresh store of the same kind, holding the state the phases before {@code upTo} leave. */
  private static AttributeManager manager(StateStoreProvider provider, PeerStream stream, PeerStream.Phase upTo,
      RamDiscardListener l) {
    long size = stream.blocks() * PeerStreams.BLOCK;
    AttributeManager m = AttributeManager.builder().layout(RegionLayout.of(size, PeerStreams.BLOCK))
        .store(provider).build();
    m.registerListener(l, 0, size);
    for (PeerStream.Phase p : stream.phases()) {
      if (p == upTo) {
        break;
      }
      if (p.kind().sets()) {
        long[] op = p.ops();
        for (int i = 0; i < op.length; i += 3) {
          convert(m, op[i], op[i + 1], op[i + 2]);
        }
      }
    }
    return m;
  }

  private static void convert(AttributeManager m, long from, long to, long state) {
    long off = from * PeerStreams.BLOCK;
    long len = (to - from) * PeerStreams.BLOCK;
    if (state == 1) {
      m.share(off, len);
    } else {
      m.makePrivate(off, len);
    }
  }

  private static long replay(PeerStream.Phase phase, StateStore s, AttributeManager m) {
    long[] op = phase.ops();
    long sum = 0;
    switch (phase.kind()) {
      case FILL, SET -> {
        for (int i = 0; i < op.length; i += 3) {
          s.set(op[i], op[i + 1], (int) op[i + 2]);
        }
      }
      case CONVERT -> {
        for (int i = 0; i < op.length; i += 3) {
          convert(m, op[i], op[i + 1], op[i + 2]);
        }
      }
      case QUERY -> {
        StoreSubject subject = new StoreSubject(s);
        for (int i = 0; i < op.length; i += 3) {
          sum += subject.visit(op[i], op[i + 1]);
        }
      }
      case ITERATE -> {
        StoreSubject subject = new StoreSubject(s);
        for (int i = 0; i < op.length; i += 3) {
          sum += subject.iterate(op[i], Math.toIntExact(op[i + 1]));
        }
      }
    }
    return sum;
  }

  static RunWalk finalRuns(StateStore s) {
    RunWalk w = new RunWalk(0, s.blocks(), Long.MAX_VALUE);
    RunCursor c = s.runs(0, s.blocks());
    while (c.next()) {
      if (c.state() == 1) {
        w.shared(c.start(), c.end());
      }
    }
    w.finish();
    return w;
  }

  private static RunWalk finalRuns(AttributeManager m, long blocks) {
    RunWalk w = new RunWalk(0, blocks, Long.MAX_VALUE);
    m.replayPopulated(0, blocks * PeerStreams.BLOCK, (off, len) -> {
      w.shared(off / PeerStreams.BLOCK, (off + len) / PeerStreams.BLOCK);
      return 0;
    });
    w.finish();
    return w;
  }

  /** The listener of the conversions: counts runs and bytes, so the notifications are not optimised away. */
  private static final class CountingListener implements RamDiscardListener {
    long calls;
    long bytes;

    @Override
    public void populate(long offset, long length) {
      calls++;
      bytes += length;
    }

    @Override
    public void discard(long offset, long length) {
      calls++;
      bytes += length;
    }
  }
}
