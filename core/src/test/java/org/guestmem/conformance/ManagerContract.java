package org.guestmem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.guestmem.conformance.RecordingListener.Kind;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionException;
import org.guestmem.region.ConversionResult;
import org.guestmem.region.RamDiscardListener;
import org.guestmem.region.RegionLayout;
import org.guestmem.region.Source;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every rule of the manager contract (docs/architecture.md, "Manager contract", rules 1 to 7), run against the
 * {@link StateStoreProvider} a store module supplies. Listeners keep exact per-block views, so "state and listeners
 * agree" and "rollback is exact" are asserted block for block, for a refusal injected at every call position;
 * {@link ManagerFailureContract} does the same for every kind of throwable and for failing stores.
 */
public interface ManagerContract extends ManagerFailureContract {

  /** Whether the managers under test combine concurrent conversions (run the contract both ways). */
  @Override
  default boolean combining() {
    return false;
  }

  private AttributeManager manager(long blocks) {
    return AttributeManager.builder().layout(RegionLayout.of(blocks * G, G)).store(provider())
        .storeOptions(storeOptions()).combining(combining()).build();
  }

  private AttributeManager pluggableManager(long blocks, boolean plugged) {
    return AttributeManager.builder().layout(RegionLayout.of(blocks * G, G)).store(provider())
        .storeOptions(storeOptions()).combining(combining()).plugSource(plugged).build();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rule 1: validation with no side effect

  @Test
  default void invalidConversionsAreRejectedNamingTheValueAndChangeNothing() {
    AttributeManager m = manager(64);
    RecordingListener l = new RecordingListener("l", G, 0, 64 * G);
    m.registerListener(l, 0, 64 * G);
    m.share(4 * G, 8 * G);
    BitSet before = l.view();
    StateStore snap = m.snapshot(Source.GUEST_MEMFD);
    long calls = l.populateCalls() + l.discardCalls();

    assertMessage(() -> m.share(0x1800, G), "0x1800", "aligned");
    assertMessage(() -> m.share(0, 0x1800), "0x1800", "multiple");
    assertMessage(() -> m.share(0, 0), "0", "positive");
    assertMessage(() -> m.share(-G, G), "-4096", "negative");
    assertMessage(() -> m.share(G, -G), "-4096", "positive");
    assertMessage(() -> m.share(60 * G, 8 * G), "0x40000", "outside");
    assertMessage(() -> m.share(Long.MAX_VALUE - G + 1, 2 * G), "overflows", "0x");
    assertMessage(() -> m.makePrivate(64 * G, G), "0x40000", "outside");
    assertThrows(IllegalStateException.class, () -> m.plug(0, G), "no plug source");
    assertMessage(() -> m.isPopulated(0, 0), "0", "positive");
    assertMessage(() -> m.replayPopulated(63 * G, 2 * G, (o, n) -> 0), "outside", "0x");
    assertMessage(() -> m.registerListener(new RecordingListener("x", G, 0, G), 0x800, G), "0x800", "aligned");

    assertEquals(before, l.view());
    assertEquals(calls, l.populateCalls() + l.discardCalls());
    StateStoreContract.assertSameContent(snap, m.snapshot(Source.GUEST_MEMFD), "after rejected calls");
  }

  private static void assertMessage(Runnable call, String value, String rule) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(value), "message '" + e.getMessage() + "' should name " + value);
    assertTrue(e.getMessage().contains(rule), "message '" + e.getMessage() + "' should state the rule: " + rule);
  }

  @Test
  default void layoutRejectsBadGranularityAndSize() {
    assertThrows(IllegalArgumentException.class, () -> RegionLayout.of(1 << 20, 2048));
    assertThrows(IllegalArgumentException.class, () -> RegionLayout.of(1 << 20, 3 * 4096));
    assertThrows(IllegalArgumentException.class, () -> RegionLayout.of(4096 * 3 + 1, 4096));
    assertThrows(IllegalArgumentException.class, () -> RegionLayout.of(0, 4096));
    assertThrows(IllegalArgumentException.class, () -> new RegionLayout(1L << 20, 4096, -4096, 0));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rule 2: idempotence and maximal-run deltas

  @Test
  default void conversionToTheCurrentStateNotifiesNothing() {
    AttributeManager m = manager(32);
    RecordingListener l = new RecordingListener("l", G, 0, 32 * G);
    m.registerListener(l, 0, 32 * G);
    ConversionResult none = m.makePrivate(0, 32 * G);
    assertFalse(none.changed());
    assertEquals(0, none.notifications());
    ConversionResult first = m.share(4 * G, 4 * G);
    assertEquals(4, first.blocksChanged());
    ConversionResult again = m.share(4 * G, 4 * G);
    assertEquals(0, again.blocksChanged());
    assertTrue(again.sequence() > first.sequence(), "every successful call takes a place in the commit order");
    assertEquals(1, l.populateCalls());
    assertEquals(0, l.discardCalls());
  }

  @Test
  default void mixedRangesNotifyOnlyTheMaximalRunsThatChange() {
    AttributeManager m = manager(64);
    RecordingListener l = new RecordingListener("l", G, 0, 64 * G);
    m.registerListener(l, 0, 64 * G);
    m.share(2 * G, 2 * G);   // [2, 4)
    m.share(10 * G, 5 * G);  // [10, 15)
    l.clearLog();
    ConversionResult r = m.share(0, 20 * G);
    assertEquals(List.of("populate 0+" + 2 * G, "populate " + 4 * G + "+" + 6 * G,
        "populate " + 15 * G + "+" + 5 * G), l.log());
    assertEquals(3, r.runsNotified());
    assertEquals(13, r.blocksChanged());
    l.clearLog();
    m.makePrivate(8 * G, 4 * G);
    assertEquals(List.of("discard " + 8 * G + "+" + 4 * G), l.log());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rule 3: ordering and rollback

  @Test
  default void populateSeesCommittedStateAndDiscardSeesTheOldOne() {
    AttributeManager m = manager(16);
    List<Boolean> seen = new ArrayList<>();
    m.registerListener(new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        seen.add(m.isPopulated(offset, length));
      }

      @Override
      public void discard(long offset, long length) {
        seen.add(m.isPopulated(offset, length));
      }
    }, 0, 16 * G);
    m.share(0, 4 * G);
    m.makePrivate(0, 4 * G);
    assertEquals(List.of(true, true), seen, "populate after commit; discard before commit (unmap first)");
    assertFalse(m.isPopulated(0, 4 * G));
  }

  /** For every position k of the refused call, among three listeners, both directions: an exact rollback. */
  @TestFactory
  default Stream<DynamicTest> refusalAtEveryPositionRollsBackListenersAndState() {
    List<DynamicTest> tests = new ArrayList<>();
    for (boolean toShared : new boolean[] {true, false}) {
      for (int victim = 0; victim < 3; victim++) {
        for (boolean partial : new boolean[] {false, true}) {
          int v = victim;
          boolean dir = toShared;
          tests.add(DynamicTest.dynamicTest((toShared ? "populate" : "discard") + " refused by listener " + victim
              + (partial ? ", partly applied" : ""), () -> refuseAtEveryPosition(dir, v, partial)));
        }
      }
    }
    return tests.stream();
  }

  private void refuseAtEveryPosition(boolean toShared, int victim, boolean partial) {
    for (int k = 1; ; k++) {
      AttributeManager m = manager(64);
      RecordingListener[] ls = {
          new RecordingListener("a", G, 0, 64 * G),
          new RecordingListener("b", G, 8 * G, 32 * G),
          new RecordingListener("c", G, 30 * G, 34 * G)};
      for (RecordingListener l : ls) {
        m.registerListener(l, l.sectionOffset(), l.sectionLength());
      }
      // A checkerboard of runs, so that the conversion notifies many runs to each listener.
      for (long b = 0; b < 64; b += 4) {
        m.share(b * G, 2 * G);
      }
      BitSet[] views = new BitSet[3];
      for (int i = 0; i < 3; i++) {
        views[i] = ls[i].view();
      }
      StateStore before = m.snapshot(Source.GUEST_MEMFD);
      ls[victim].partialRefusals(partial).failOn(toShared ? Kind.POPULATE : Kind.DISCARD, k);
      try {
        m.convert(0, 64 * G, toShared);
        assertEquals(0, ls[victim].failures(), "k=" + k + " did not fail, so it must have been past the last call");
        return; // k is past the number of calls: every position was covered
      } catch (ConversionException e) {
        assertTrue(e.isConsistent(), "compensation must succeed: " + e);
      }
      for (int i = 0; i < 3; i++) {
        assertEquals(views[i], ls[i].view(), "k=" + k + ": listener " + ls[i] + " not restored");
      }
      StateStoreContract.assertSameContent(before, m.snapshot(Source.GUEST_MEMFD), "k=" + k + " state");
      assertTrue(k < 1000, "runaway");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rule 4: registration and unregistration

  @Test
  default void registrationReplaysPopulatedRunsAndUnregistrationDiscardsThem() {
    AttributeManager m = manager(64);
    m.share(4 * G, 4 * G);
    m.share(20 * G, 10 * G);
    RecordingListener l = new RecordingListener("l", G, 6 * G, 20 * G);
    m.registerListener(l, 6 * G, 20 * G);
    assertEquals(List.of("populate " + 6 * G + "+" + 2 * G, "populate " + 20 * G + "+" + 6 * G), l.log());
    assertThrows(IllegalArgumentException.class, () -> m.registerListener(l, 0, G));
    m.unregisterListener(l);
    assertTrue(l.view().isEmpty());
    assertEquals(0, m.listenerCount());
    assertThrows(IllegalArgumentException.class, () -> m.unregisterListener(l));
  }

  @Test
  default void refusedRegistrationLeavesNothingBehindAtEveryPosition() {
    for (int k = 1; k <= 6; k++) {
      AttributeManager m = manager(64);
      for (long b = 0; b < 64; b += 8) {
        m.share(b * G, 3 * G);
      }
      RecordingListener l = new RecordingListener("l", G, 0, 64 * G).failOn(Kind.POPULATE, k);
      assertThrows(ConversionException.class, () -> m.registerListener(l, 0, 64 * G));
      assertTrue(l.view().isEmpty(), "k=" + k + ": a refused registration must leave no population");
      assertEquals(0, m.listenerCount());
    }
  }

  @Test
  default void refusedUnregistrationKeepsTheListenerWhole() {
    for (int k = 1; k <= 4; k++) {
      AttributeManager m = manager(64);
      for (long b = 0; b < 64; b += 16) {
        m.share(b * G, 3 * G);
      }
      RecordingListener l = new RecordingListener("l", G, 0, 64 * G);
      m.registerListener(l, 0, 64 * G);
      BitSet before = l.view();
      l.failOn(Kind.DISCARD, k);
      assertThrows(ConversionException.class, () -> m.unregisterListener(l));
      assertEquals(before, l.view(), "k=" + k);
      assertEquals(1, m.listenerCount());
    }
  }

  @Test
  default void listenersMayNotMutateTheRegionFromANotification() {
    AttributeManager m = manager(16);
    m.registerListener(new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        m.makePrivate(offset, length);
      }

      @Override
      public void discard(long offset, long length) {}
    }, 0, 16 * G);
    ConversionException e = assertThrows(ConversionException.class, () -> m.share(0, G));
    assertTrue(e.getCause() instanceof IllegalStateException);
    assertFalse(m.isPopulated(0, G), "the refused conversion was undone");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rule 5: replay and isPopulated

  @Test
  default void replayVisitsMaximalRunsAndStopsAtTheFirstNonZeroResult() {
    AttributeManager m = manager(64);
    m.share(4 * G, 4 * G);
    m.share(8 * G, 4 * G);
    m.share(20 * G, 2 * G);
    List<long[]> runs = new ArrayList<>();
    assertEquals(0, m.replayPopulated(0, 64 * G, (o, n) -> {
      runs.add(new long[] {o, n});
      return 0;
    }));
    assertEquals(2, runs.size());
    assertEquals(4 * G, runs.get(0)[0]);
    assertEquals(8 * G, runs.get(0)[1]);
    List<long[]> discarded = new ArrayList<>();
    m.replayDiscarded(G, 62 * G, (o, n) -> {
      discarded.add(new long[] {o, n});
      return 0;
    });
    assertEquals(3, discarded.size());
    assertEquals(G, discarded.get(0)[0]);
    assertEquals(3 * G, discarded.get(0)[1]);
    assertEquals(63 * G - 22 * G, discarded.get(2)[1]);
    int[] calls = {0};
    assertEquals(-7, m.replayPopulated(0, 64 * G, (o, n) -> {
      calls[0]++;
      return -7;
    }));
    assertEquals(1, calls[0]);
  }

  @Test
  default void isPopulatedIsExactForSubBlockRanges() {
    AttributeManager m = manager(16);
    m.share(4 * G, G);
    assertTrue(m.isPopulated(4 * G + 100, 10));
    assertTrue(m.isPopulated(4 * G, G));
    assertFalse(m.isPopulated(3 * G + 4000, 200), "straddles a private block");
    assertFalse(m.isPopulated(5 * G + 1, 1));
    assertFalse(m.isPopulated(3 * G, 1), "QEMU would truncate this to an empty range and say populated");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rule 6 (notifications are granularity multiples inside the listener's section) is asserted by RecordingListener
  // on every call of every case here.

  // ---------------------------------------------------------------------------------------------------------------
  // Several sources and three states

  @Test
  default void populatedMeansSharedAndPlugged() {
    AttributeManager m = pluggableManager(64, false);
    RecordingListener l = new RecordingListener("l", G, 0, 64 * G);
    m.registerListener(l, 0, 64 * G);
    m.share(0, 32 * G);
    assertTrue(l.view().isEmpty(), "shared but unplugged is not populated");
    m.plug(16 * G, 32 * G);
    BitSet expected = new BitSet();
    expected.set(16, 32);
    assertEquals(expected, l.view());
    assertEquals(BlockState.DISCARDED, m.stateAt(0));
    assertEquals(BlockState.SHARED, m.stateAt(16 * G));
    assertEquals(BlockState.PRIVATE, m.stateAt(40 * G));
    assertEquals(16 * G, m.bytesIn(BlockState.SHARED));
    assertEquals(16 * G, m.bytesIn(BlockState.PRIVATE));
    assertEquals(32 * G, m.bytesIn(BlockState.DISCARDED));
    m.unplug(20 * G, 4 * G);
    expected.clear(20, 24);
    assertEquals(expected, l.view());
    m.makePrivate(0, 64 * G);
    assertTrue(l.view().isEmpty());
  }

  /**
   * The invariant under random conversions, plugs and refusals: after every call, each listener's view is exactly
   * the populated blocks of its section and the state is the per-block model's.
   */
  @TestFactory
  default Stream<DynamicTest> randomOperationsKeepListenersAndStateInAgreement() {
    return StateStoreContract.seeds().mapToObj(seed ->
        DynamicTest.dynamicTest("seed " + seed, () -> runRandomManager(seed)));
  }

  private void runRandomManager(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int blocks = 256;
    AttributeManager m = pluggableManager(blocks, true);
    byte[] shared = new byte[blocks];
    byte[] plugged = new byte[blocks];
    java.util.Arrays.fill(plugged, (byte) 1);
    List<RecordingListener> ls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long from = rnd.nextInt(blocks / 2);
      long len = 1 + rnd.nextInt((int) (blocks - from));
      RecordingListener l = new RecordingListener("l" + i, G, from * G, len * G);
      m.registerListener(l, from * G, len * G);
      ls.add(l);
    }
    for (int op = 0; op < 3000; op++) {
      String where = "seed " + seed + " op " + op;
      int from = rnd.nextInt(blocks);
      int to = from + 1 + rnd.nextInt(Math.min(blocks - from, 1 + rnd.nextInt(64)));
      boolean value = rnd.nextBoolean();
      Source source = rnd.nextInt(4) == 0 ? Source.PLUG : Source.GUEST_MEMFD;
      boolean refuse = rnd.nextInt(5) == 0;
      if (refuse) {
        ls.get(rnd.nextInt(ls.size())).failOn(Kind.ANY, 1 + rnd.nextInt(3));
      }
      try {
        m.change(source, (long) from * G, (long) (to - from) * G, value);
        byte[] target = source == Source.PLUG ? plugged : shared;
        java.util.Arrays.fill(target, from, to, (byte) (value ? 1 : 0));
      } catch (ConversionException e) {
        assertTrue(e.isConsistent(), where);
      }
      ls.forEach(RecordingListener::heal);
      for (RecordingListener l : ls) {
        BitSet expected = new BitSet();
        int s = (int) (l.sectionOffset() / G);
        int e = (int) ((l.sectionOffset() + l.sectionLength()) / G);
        for (int b = s; b < e; b++) {
          if (shared[b] == 1 && plugged[b] == 1) {
            expected.set(b);
          }
        }
        assertEquals(expected, l.view(), where + ": " + l + " disagrees with the state");
      }
      int b = rnd.nextInt(blocks);
      BlockState expect = plugged[b] == 0 ? BlockState.DISCARDED
          : shared[b] == 1 ? BlockState.SHARED : BlockState.PRIVATE;
      assertEquals(expect, m.stateAt((long) b * G + rnd.nextInt((int) G)), where + " block " + b);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Rule 7: threads

  @Test
  default void concurrentConversionsOfDisjointRangesAllLand() throws Exception {
    int threads = 8;
    int perThread = 64;
    AttributeManager m = manager((long) threads * perThread);
    RecordingListener l = new RecordingListener("l", G, 0, threads * perThread * G);
    m.registerListener(l, 0, threads * perThread * G);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long base = (long) t * perThread;
      done.add(pool.submit(() -> {
        start.await();
        for (int round = 0; round < 50; round++) {
          for (long b = base; b < base + perThread; b += 2) {
            m.share(b * G, G);
          }
          for (long b = base; b < base + perThread; b += 4) {
            m.makePrivate(b * G, G);
          }
          // Only this thread changes its range, so what it reads back is exact even while others convert.
          assertTrue(m.isPopulated((base + 2) * G, G), "block " + (base + 2));
          assertFalse(m.isPopulated(base * G, G), "block " + base);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    BitSet expected = new BitSet();
    for (int b = 0; b < threads * perThread; b++) {
      if (b % 2 == 0 && b % 4 != 0) {
        expected.set(b);
      }
    }
    assertEquals(expected, l.view());
    for (int b = 0; b < threads * perThread; b++) {
      assertEquals(expected.get(b), m.isPopulated((long) b * G, G), "block " + b);
    }
  }

  /**
   * Linearizability: 8 threads convert overlapping ranges of both sources. The commit sequence every result carries
   * must (1) respect real time (a call that returned before another started comes first), and (2) replayed in that
   * order through a per-block model, give every call's own result and the final state; the listener ends agreeing.
   */
  @TestFactory
  default Stream<DynamicTest> concurrentOverlappingConversionsAreLinearizable() {
    return StateStoreContract.seeds().limit(3).mapToObj(seed ->
        DynamicTest.dynamicTest("seed " + seed, () -> checkLinearizable(seed)));
  }

  private void checkLinearizable(long seed) throws Exception {
    int blocks = 128;
    int threads = 8;
    int perThread = 400;
    AttributeManager m = pluggableManager(blocks, true);
    RecordingListener l = new RecordingListener("l", G, 0, blocks * G);
    m.registerListener(l, 0, blocks * G);
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    long[][] calls = new long[threads * perThread][];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + thread);
        start.await();
        for (int i = 0; i < perThread; i++) {
          int from = rnd.nextInt(blocks);
          int to = Math.min(blocks, from + 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 24));
          int source = rnd.nextInt(5) == 0 ? 1 : 0;
          int value = rnd.nextInt(2);
          long invoked = clock.incrementAndGet();
          ConversionResult r = m.change(source == 1 ? Source.PLUG : Source.GUEST_MEMFD, (long) from * G,
              (long) (to - from) * G, value == 1);
          long returned = clock.incrementAndGet();
          calls[thread * perThread + i] =
              new long[] {r.sequence(), invoked, returned, source, from, to, value, r.blocksChanged()};
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    long[][] bySequence = calls.clone();
    java.util.Arrays.sort(bySequence, (a, b) -> Long.compare(a[0], b[0]));
    for (int i = 1; i < bySequence.length; i++) {
      assertTrue(bySequence[i][0] > bySequence[i - 1][0], "seed " + seed + ": duplicate sequence");
    }
    // Real-time order: no later-sequenced call may have returned before an earlier-sequenced one was invoked.
    long minReturnAfter = Long.MAX_VALUE;
    for (int i = bySequence.length - 1; i >= 0; i--) {
      assertTrue(minReturnAfter > bySequence[i][1], "seed " + seed + ": call with sequence " + bySequence[i][0]
          + " was invoked after a later-sequenced call had returned");
      minReturnAfter = Math.min(minReturnAfter, bySequence[i][2]);
    }
    byte[][] model = {new byte[blocks], new byte[blocks]};
    java.util.Arrays.fill(model[1], (byte) 1);
    for (long[] c : bySequence) {
      byte[] attr = model[(int) c[3]];
      long changed = 0;
      for (int b = (int) c[4]; b < c[5]; b++) {
        if (attr[b] != c[6]) {
          changed++;
          attr[b] = (byte) c[6];
        }
      }
      assertEquals(changed, c[7], "seed " + seed + ": result of the call with sequence " + c[0]);
    }
    BitSet expected = new BitSet();
    for (int b = 0; b < blocks; b++) {
      BlockState st = model[1][b] == 0 ? BlockState.DISCARDED
          : model[0][b] == 1 ? BlockState.SHARED : BlockState.PRIVATE;
      assertEquals(st, m.stateAt((long) b * G), "seed " + seed + ": final state of block " + b);
      if (st == BlockState.SHARED) {
        expected.set(b);
      }
    }
    assertEquals(expected, l.view(), "seed " + seed + ": listener view");
  }

  /**
   * A refused registration whose undo fails too must not drop the listener (it may still hold a replayed run that
   * no discard would then reach), and must name it so that its owner can release it; a refusal that was undone
   * exactly keeps and names nothing.
   */
  @Test
  default void aRegistrationWhoseUndoFailsKeepsTheListenerAndNamesIt() {
    AttributeManager m = manager(16);
    m.share(0, 2 * G);
    m.share(4 * G, 2 * G);
    boolean[] broken = {true};
    List<long[]> held = new ArrayList<>();
    RamDiscardListener l = new RamDiscardListener() {
      int populates;

      @Override
      public void populate(long offset, long length) {
        if (broken[0] && ++populates == 2) {
          throw new IllegalStateException("refused populate");
        }
        held.add(new long[] {offset, length});
      }

      @Override
      public void discard(long offset, long length) {
        if (broken[0]) {
          throw new IllegalStateException("refused discard");
        }
        held.removeIf(h -> h[0] >= offset && h[0] < offset + length);
      }
    };
    ConversionException e = assertThrows(ConversionException.class, () -> m.registerListener(l, 0, 16 * G));
    assertFalse(e.isConsistent(), "the failed undo is attached: " + e);
    assertTrue(e.listenerKept().orElse(null) == l, "the exception names the kept listener: " + e.listenerKept());
    assertTrue(m.isRegistered(l));
    assertEquals(1, held.size(), "the listener still holds the first run");
    broken[0] = false;
    m.unregisterListener(l);
    assertFalse(m.isRegistered(l));
    assertTrue(held.isEmpty(), "unregistering discarded what it held");

    RecordingListener once = new RecordingListener("once", G, 0, 16 * G);
    once.failOn(Kind.POPULATE, 1);
    ConversionException exact = assertThrows(ConversionException.class, () -> m.registerListener(once, 0, 16 * G));
    assertTrue(exact.isConsistent());
    assertTrue(exact.listenerKept().isEmpty(), "an exact undo keeps nothing");
    assertFalse(m.isRegistered(once));
  }

  /** Readers never see a torn state: writers convert aligned pairs, so every run a reader sees starts even. */
  @Test
  default void readersNeverSeeATornConversion() throws Exception {
    int blocks = 256;
    AttributeManager m = manager(blocks);
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> readers = new ArrayList<>();
    // Writers start once both readers are reading, so reads and writes really overlap however threads are scheduled.
    CountDownLatch reading = new CountDownLatch(2);
    for (int t = 0; t < 2; t++) {
      readers.add(pool.submit(() -> {
        reading.countDown();
        do {
          m.replayStates(0, blocks * G, (off, len, st) -> {
            assertEquals(0, off % (2 * G), "torn run at " + off);
            assertEquals(0, len % (2 * G), "torn run of length " + len);
            return 0;
          });
          reads.incrementAndGet();
        } while (!stop.get());
        return null;
      }));
    }
    List<Future<?>> writers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      writers.add(pool.submit(() -> {
        reading.await();
        SplittableRandom rnd = new SplittableRandom(thread);
        for (int i = 0; i < 3000; i++) {
          long pair = rnd.nextInt(blocks / 2);
          long pairs = 1 + rnd.nextInt(4);
          m.convert(pair * 2 * G, Math.min(pairs, blocks / 2 - pair) * 2 * G, rnd.nextBoolean());
        }
        return null;
      }));
    }
    for (Future<?> w : writers) {
      w.get(120, TimeUnit.SECONDS);
    }
    // A reader that was descheduled for the whole write phase still completes its current read before stopping.
    stop.set(true);
    for (Future<?> r : readers) {
      r.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertTrue(reads.get() > 0, "the readers ran");
  }

  /** The store options used by {@link #provider()}; for stores that take options. */
  @Override
  default Map<String, String> storeOptions() {
    return Map.of();
  }
}
