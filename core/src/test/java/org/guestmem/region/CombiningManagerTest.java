package org.guestmem.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.guestmem.conformance.ManagerContract;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.spi.StateStoreProvider;
import org.junit.jupiter.api.Test;

/** The whole manager contract with flat combining on, plus what combining itself promises. */
class CombiningManagerTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new ModelStoreProvider();
  }

  @Override
  public boolean combining() {
    return true;
  }

  @Test
  void adjacentConversionsFromManyThreadsCostFewerNotifications() throws Exception {
    int threads = 8;
    int perThread = 2000;
    AttributeManager m = AttributeManager.builder().layout(RegionLayout.of((long) threads * perThread * G, G))
        .store(provider()).combining(true).build();
    AtomicInteger populates = new AtomicInteger();
    m.registerListener(new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        populates.incrementAndGet();
      }

      @Override
      public void discard(long offset, long length) {}
    }, 0, (long) threads * perThread * G);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger combined = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          // Interleaved blocks: thread t converts t, t + 8, t + 16, ... so neighbours come from other threads.
          ConversionResult r = m.share(((long) i * threads + thread) * G, G);
          if (r.batchSize() > 1) {
            combined.incrementAndGet();
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals((long) threads * perThread * G, m.bytesIn(BlockState.SHARED));
    // A call applied alone costs one populate; a combined group of k calls costs at most k (one per maximal run of
    // its union), so every populate saved needs a combined call. Whether calls combine at all depends on the
    // scheduler; the test below forces it.
    int saved = threads * perThread - populates.get();
    assertTrue(saved >= 0, "more populates than calls: " + populates.get());
    assertTrue(saved <= combined.get(),
        "saved " + saved + " populates with only " + combined.get() + " calls combined");
  }

  /**
   * Deterministic contention: the first caller's listener holds the region until seven more single-block calls
   * are queued behind it, so those seven must be applied as one group, and being adjacent, cost one populate.
   */
  @Test
  void queuedAdjacentConversionsBecomeOneNotification() throws Exception {
    int waiters = 7;
    AttributeManager m = AttributeManager.builder().layout(RegionLayout.of((waiters + 1) * G, G))
        .store(provider()).combining(true).build();
    List<long[]> populated = new CopyOnWriteArrayList<>();
    m.registerListener(holdingFirstPopulate(m, waiters, populated, false), 0, (waiters + 1) * G);
    ExecutorService pool = Executors.newFixedThreadPool(waiters + 1);
    try {
      Future<ConversionResult> first = shareBlockZero(m, pool, populated);
      List<Future<ConversionResult>> queued = queueBlocks(m, pool, waiters);
      assertEquals(1, first.get(60, TimeUnit.SECONDS).batchSize());
      for (Future<ConversionResult> f : queued) {
        ConversionResult r = f.get(60, TimeUnit.SECONDS);
        assertEquals(waiters, r.batchSize(), "every queued call was applied in one group");
        assertEquals(1, r.notifications(), "the group's adjacent blocks are one run");
        assertEquals(1, r.blocksChanged());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(2, populated.size(), "one populate for the first call, one for the seven combined");
    assertEquals(G, populated.get(1)[0]);
    assertEquals(waiters * G, populated.get(1)[1]);
  }

  /**
   * A combined change that is refused and whose undo fails too must not be hidden by retrying the calls alone: the
   * retries would succeed (or find the blocks already shared) over a listener that never mapped them.
   */
  @Test
  void aCombinedChangeWhoseUndoFailedFailsEveryCallOfTheGroup() throws Exception {
    int waiters = 7;
    AttributeManager m = AttributeManager.builder().layout(RegionLayout.of((waiters + 1) * G, G))
        .store(provider()).combining(true).build();
    List<long[]> populated = new CopyOnWriteArrayList<>();
    m.registerListener(holdingFirstPopulate(m, waiters, populated, true), 0, (waiters + 1) * G);
    m.registerListener(new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        if (length > G) {
          throw new IllegalStateException("populate of " + length + " bytes refused");
        }
      }

      @Override
      public void discard(long offset, long length) {}
    }, 0, (waiters + 1) * G);
    ExecutorService pool = Executors.newFixedThreadPool(waiters + 1);
    try {
      Future<ConversionResult> first = shareBlockZero(m, pool, populated);
      List<Future<ConversionResult>> queued = queueBlocks(m, pool, waiters);
      assertEquals(1, first.get(60, TimeUnit.SECONDS).blocksChanged());
      for (Future<ConversionResult> f : queued) {
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        ConversionException refused = assertInstanceOf(ConversionException.class, thrown.getCause());
        assertFalse(refused.isConsistent(), "the failed undo reaches every caller of the group");
      }
    } finally {
      pool.shutdownNow();
    }
    // The group's union was populated (and, its compensating discard having failed, may be populated again to
    // keep the listener's view whole); a call retried alone would populate a single block.
    for (long[] p : populated.subList(1, populated.size())) {
      assertEquals(G, p[0], "no call of the group was retried alone");
      assertEquals(waiters * G, p[1], "no call of the group was retried alone");
    }
  }

  /**
   * A listener that records its populates and holds the region on the first until {@code waiters} more calls are
   * queued behind it, so that those are applied as one group; with {@code refuseDiscards} every discard throws.
   */
  private static RamDiscardListener holdingFirstPopulate(AttributeManager m, int waiters, List<long[]> populated,
      boolean refuseDiscards) {
    return new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        populated.add(new long[] {offset, length});
        if (populated.size() == 1) {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (m.queuedConversions() < waiters && System.nanoTime() < deadline) {
            Thread.onSpinWait();
          }
        }
      }

      @Override
      public void discard(long offset, long length) {
        if (refuseDiscards) {
          throw new IllegalStateException("discard of " + length + " bytes refused");
        }
      }
    };
  }

  /** Shares block 0 on a pool thread and returns once its populate (the one that holds the region) has begun. */
  private static Future<ConversionResult> shareBlockZero(AttributeManager m, ExecutorService pool,
      List<long[]> populated) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    Future<ConversionResult> first = pool.submit(() -> {
      holding.countDown();
      return m.share(0, G);
    });
    holding.await();
    while (populated.isEmpty()) {
      Thread.onSpinWait();
    }
    return first;
  }

  /** Shares blocks 1 to {@code waiters}, one call each on its own pool thread. */
  private static List<Future<ConversionResult>> queueBlocks(AttributeManager m, ExecutorService pool, int waiters) {
    List<Future<ConversionResult>> queued = new ArrayList<>();
    for (int b = 1; b <= waiters; b++) {
      long offset = b * G;
      queued.add(pool.submit(() -> m.share(offset, G)));
    }
    return queued;
  }
}
