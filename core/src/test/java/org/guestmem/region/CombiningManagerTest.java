package org.guestmem.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
    // Each populate covers at least one call; combined calls share one.
    assertTrue(populates.get() <= threads * perThread, "populates " + populates.get());
    assertEquals(threads * perThread - populates.get() > 0, combined.get() > 0,
        "notifications are saved exactly when calls were combined (populates " + populates.get()
            + ", combined calls " + combined.get() + ")");
  }
}
