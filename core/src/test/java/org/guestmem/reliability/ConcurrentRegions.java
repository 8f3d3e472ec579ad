package org.guestmem.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.guestmem.conformance.FailingDmaBackend;
import org.guestmem.conformance.FailingDmaBackend.Call;
import org.guestmem.conformance.FailingDmaBackend.Fault;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionException;
import org.guestmem.region.ConversionResult;
import org.guestmem.region.RegionLayout;
import org.guestmem.region.Source;
import org.guestmem.spi.DmaBackend;
import org.junit.jupiter.api.DynamicTest;

/**
 * Conversions from many threads on several regions at once, each region with a DMA mapping listener on an embedded
 * back-end (one per region, or one shared by all), while the threads arm kernel faults on the back-ends.
 *
 * <p>Checked: at quiescent points during the run (a gate every worker holds while its call is in flight) and at the
 * end, every region's mappings equal its populated runs ({@link MappingAuditor}) and a {@link ShadowIommu} shows no
 * stale, missing or leaked mapping; at the end, per region, the successful calls are linearizable: their commit
 * sequences respect real time, and replaying them in sequence order on a per-block model gives every call's
 * {@link ConversionResult#blocksChanged()} and the final state. Refused calls (an injected fault) must have been
 * compensated. Closing the listeners leaves nothing mapped or pinned.
 */
public final class ConcurrentRegions {
  static final long G = 4096;
  static final int BLOCKS = 64;
  static final long HOST = 0x7f40_0000_0000L;

  /**
   * One configuration.
   *
   * @param label names the back-end
   * @param open opens a new, empty address space
   * @param faults the faults its kernel can return (those of calls the policy never makes are not armed)
   * @param policy the mapping policy
   * @param regions how many regions
   * @param sharedBackend one back-end for every region (else one each)
   * @param combining whether the managers combine concurrent conversions
   * @param threads worker threads
   * @param opsPerThread calls per worker
   */
  public record Setup(String label, Supplier<DmaBackend> open, List<Fault> faults, MappingPolicy policy, int regions,
      boolean sharedBackend, boolean combining, int threads, int opsPerThread) {
    @Override
    public String toString() {
      return String.format("%s %s, %d region%s, %s back-end, %s, %d threads", label, policy.configName(), regions,
          regions == 1 ? "" : "s", sharedBackend ? "one shared" : "one per region", combining ? "combining" : "lock",
          threads);
    }
  }

  /** What a run did. */
  public record Counts(long operations, long refused, long faultsInjected, long quiescentAudits) {
    Counts plus(Counts o) {
      return new Counts(operations + o.operations, refused + o.refused, faultsInjected + o.faultsInjected,
          quiescentAudits + o.quiescentAudits);
    }
  }

  private ConcurrentRegions() {}

  /** One dynamic test per setup and seed, then one recording the totals (kind {@code concurrency}). */
  public static Stream<DynamicTest> tests(String label, List<Setup> setups, long... seeds) {
    Counts[] sum = {new Counts(0, 0, 0, 0)};
    Stream<DynamicTest> runs = setups.stream().flatMap(s -> Arrays.stream(seeds).mapToObj(seed ->
        DynamicTest.dynamicTest(s + ", seed " + seed, () -> sum[0] = sum[0].plus(run(s, seed)))));
    DynamicTest report = DynamicTest.dynamicTest("totals", () -> {
      Counts c = sum[0];
      ReliabilityReport.record("concurrency", label, ReliabilityReport.counts("operations", c.operations(),
          "refused", c.refused(), "faults-injected", c.faultsInjected(), "quiescent-audits", c.quiescentAudits()));
      if (c.faultsInjected() == 0 || c.quiescentAudits() == 0) {
        throw new AssertionError("the concurrent runs injected no fault or audited nothing: " + c);
      }
    });
    return Stream.concat(runs, Stream.of(report));
  }

  /** A back-end as the listeners see it: the injector over the shadow over the back-end. */
  private record Stack(DmaBackend raw, ShadowIommu shadow, FailingDmaBackend injector) {
    static Stack open(Supplier<DmaBackend> open) {
      DmaBackend raw = open.get();
      ShadowIommu shadow = new ShadowIommu(raw);
      return new Stack(raw, shadow, new FailingDmaBackend(shadow));
    }
  }

  /** One call: {sequence or -1 if refused, invoked, returned, source, from, to, value, blocksChanged}. */
  private record Logged(long sequence, long invoked, long returned, int source, int from, int to, int value,
      long blocksChanged) {}

  /** Runs {@code s} with {@code seed}; throws {@link AssertionError} naming the seed on any violation. */
  public static Counts run(Setup s, long seed) throws Exception {
    String ctx = s + ", seed " + seed;
    List<Stack> stacks = new ArrayList<>();
    List<AttributeManager> managers = new ArrayList<>();
    List<DmaMappingListener> listeners = new ArrayList<>();
    for (int r = 0; r < s.regions(); r++) {
      if (r == 0 || !s.sharedBackend()) {
        stacks.add(Stack.open(s.open()));
      }
      Stack stack = stacks.get(stacks.size() - 1);
      long span = BLOCKS * G;
      AttributeManager m = AttributeManager.builder()
          .layout(new RegionLayout(span, G, (1L << 32) + r * (span << 1), HOST + r * (span << 1)))
          .store(new ModelStoreProvider()).plugSource(true).combining(s.combining()).build();
      managers.add(m);
      listeners.add(DmaMappingListener.register(m, stack.injector(), s.policy()));
    }
    List<Fault> faults = s.faults().stream()
        .filter(f -> f.call() != Call.CUT || s.policy() == MappingPolicy.COALESCE).toList();

    ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    AtomicLong clock = new AtomicLong();
    List<List<Logged>> logs = new ArrayList<>();
    for (int r = 0; r < s.regions(); r++) {
      logs.add(new ArrayList<>());
    }
    ExecutorService pool = Executors.newFixedThreadPool(s.threads());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> workers = new ArrayList<>();
    for (int t = 0; t < s.threads(); t++) {
      int thread = t;
      workers.add(pool.submit(() -> {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003 + thread);
        List<List<Logged>> mine = new ArrayList<>();
        for (int r = 0; r < s.regions(); r++) {
          mine.add(new ArrayList<>());
        }
        long refused = 0;
        long audits = 0;
        start.await();
        for (int i = 0; i < s.opsPerThread(); i++) {
          int r = rnd.nextInt(s.regions());
          if (rnd.nextInt(24) == 0) {
            arm(stacks.get(s.sharedBackend() ? 0 : r).injector(), faults, rnd);
          }
          if (thread == 0 && i % 50 == 49) {
            gate.writeLock().lock();
            try {
              audit(ctx + " (quiescent, thread 0 op " + i + ")", stacks, listeners);
              audits++;
            } finally {
              gate.writeLock().unlock();
            }
          }
          int from = rnd.nextInt(BLOCKS);
          int to = Math.min(BLOCKS, from + 1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 12));
          int source = rnd.nextInt(6) == 0 ? 1 : 0;
          int value = rnd.nextInt(2);
          FailingDmaBackend injector = stacks.get(s.sharedBackend() ? 0 : r).injector();
          gate.readLock().lock();
          try {
            long invoked = clock.incrementAndGet();
            try {
              ConversionResult res = managers.get(r).change(source == 1 ? Source.PLUG : Source.GUEST_MEMFD,
                  from * G, (to - from) * G, value == 1);
              mine.get(r).add(new Logged(res.sequence(), invoked, clock.incrementAndGet(), source, from, to, value,
                  res.blocksChanged()));
            } catch (ConversionException e) {
              refused++;
              if (!e.isConsistent()) {
                throw new AssertionError(ctx + ": a compensation failed after one injected fault", e);
              }
            }
          } finally {
            gate.readLock().unlock();
            synchronized (injector) {
              injector.settle(Thread.currentThread());
            }
          }
        }
        synchronized (logs) {
          for (int r = 0; r < s.regions(); r++) {
            logs.get(r).addAll(mine.get(r));
          }
        }
        return new long[] {refused, audits};
      }));
    }
    start.countDown();
    long refused = 0;
    long audits = 0;
    for (Future<long[]> f : workers) {
      long[] w = f.get(300, TimeUnit.SECONDS);
      refused += w[0];
      audits += w[1];
    }
    pool.shutdown();

    long injected = 0;
    for (Stack st : stacks) {
      synchronized (st.injector()) {
        st.injector().heal();
        injected += st.injector().injected();
      }
    }
    audit(ctx + " (end)", stacks, listeners);
    long operations = 0;
    for (int r = 0; r < s.regions(); r++) {
      operations += logs.get(r).size();
      checkLinearizable(ctx + ", region " + r, managers.get(r), logs.get(r));
    }
    for (DmaMappingListener l : listeners) {
      l.close();
    }
    for (Stack st : stacks) {
      MappingAuditor.checkNothingMapped(st.raw());
      List<String> leaked = st.shadow().leaked(List.of());
      leaked.addAll(st.shadow().violations());
      if (!leaked.isEmpty()) {
        throw new AssertionError(ctx + ": after every listener closed: " + leaked);
      }
      st.raw().close();
    }
    if (operations + refused != (long) s.threads() * s.opsPerThread()) {
      throw new AssertionError(ctx + ": calls lost: " + operations + " done + " + refused + " refused");
    }
    return new Counts(operations + refused, refused, injected, audits);
  }

  /**
   * Arms one fault unless one is armed or a conversion it hit is still compensating: the suite promises one fault
   * per conversion (two are the double-fault sweep's subject), and a fault armed meanwhile could hit the undo.
   */
  private static void arm(FailingDmaBackend injector, List<Fault> faults, SplittableRandom rnd) {
    synchronized (injector) {
      if (!injector.armed() && injector.unsettled() == null) {
        injector.failOn(1 + rnd.nextInt(3), faults.get(rnd.nextInt(faults.size())), rnd.nextInt(3));
      }
    }
  }

  private static void audit(String ctx, List<Stack> stacks, List<DmaMappingListener> listeners) {
    List<String> problems = new ArrayList<>();
    for (DmaMappingListener l : listeners) {
      problems.addAll(MappingAuditor.audit(l));
    }
    for (Stack st : stacks) {
      synchronized (st.injector()) {
        List<DmaMappingListener> mine = listeners.stream().filter(l -> l.backend() == st.injector()).toList();
        for (DmaMappingListener l : mine) {
          problems.addAll(st.shadow().check(l));
        }
        problems.addAll(st.shadow().leaked(mine));
      }
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(ctx + ": " + String.join("; ", problems));
    }
  }

  /**
   * The successful calls of one region, ordered by commit sequence: sequences are unique, no call was sequenced
   * after a call that returned before it was invoked, and the per-block model replayed in that order reproduces every
   * call's blocks-changed and the final state.
   */
  private static void checkLinearizable(String ctx, AttributeManager m, List<Logged> calls) {
    List<Logged> bySequence = new ArrayList<>(calls);
    bySequence.sort((a, b) -> Long.compare(a.sequence(), b.sequence()));
    for (int i = 1; i < bySequence.size(); i++) {
      if (bySequence.get(i).sequence() == bySequence.get(i - 1).sequence()) {
        throw new AssertionError(ctx + ": two calls share sequence " + bySequence.get(i).sequence());
      }
    }
    long minReturnAfter = Long.MAX_VALUE;
    for (int i = bySequence.size() - 1; i >= 0; i--) {
      Logged c = bySequence.get(i);
      if (minReturnAfter < c.invoked()) {
        throw new AssertionError(ctx + ": the call with sequence " + c.sequence()
            + " was invoked after a later-sequenced call had returned");
      }
      minReturnAfter = Math.min(minReturnAfter, c.returned());
    }
    byte[][] model = {new byte[BLOCKS], new byte[BLOCKS]};
    Arrays.fill(model[1], (byte) 1);
    for (Logged c : bySequence) {
      byte[] attr = model[c.source()];
      long changed = 0;
      for (int b = c.from(); b < c.to(); b++) {
        if (attr[b] != c.value()) {
          changed++;
          attr[b] = (byte) c.value();
        }
      }
      if (changed != c.blocksChanged()) {
        throw new AssertionError(ctx + ": the call with sequence " + c.sequence() + " changed " + c.blocksChanged()
            + " blocks; in sequence order it changes " + changed);
      }
    }
    for (int b = 0; b < BLOCKS; b++) {
      BlockState expected = model[1][b] == 0 ? BlockState.DISCARDED
          : model[0][b] == 1 ? BlockState.SHARED : BlockState.PRIVATE;
      if (m.stateAt(b * G) != expected) {
        throw new AssertionError(ctx + ": block " + b + " ends " + m.stateAt(b * G) + ", the model says "
            + expected);
      }
    }
  }
}
