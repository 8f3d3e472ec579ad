package org.guestmem.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.guestmem.conformance.FailingDmaBackend;
import org.guestmem.conformance.FailingDmaBackend.Call;
import org.guestmem.conformance.FailingDmaBackend.Fault;
import org.guestmem.conformance.FaultKind;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionException;
import org.guestmem.region.Source;
import org.guestmem.reliability.FaultSweep.Kind;
import org.guestmem.reliability.FaultSweep.Step;
import org.guestmem.reliability.FaultSweep.Target;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.ForwardingDmaBackend;
import org.guestmem.spi.MappingRun;
import org.guestmem.spi.StateStore;
import org.junit.jupiter.api.DynamicTest;

/**
 * The double-fault sweep: the seeded workloads of {@link FaultSweep}, run once without faults to count the back-end's
 * mutating calls (map, unmap, cut, in call order), then once for every pair of positions {@code k1 < k2 <= k1 + }
 * {@value #WINDOW}: the call at each position fails with a fault drawn (seeded) from the target's table for that
 * kind of call, with its kernel effect (iommufd's non-atomic walk included). Two faults reach what one cannot: a
 * refused change whose compensation fails too.
 *
 * <p>What must hold whatever the faults:
 *
 * <ul>
 *   <li><b>No stale page, ever</b>: no map call for a page the region does not hold populated at that moment, and
 *       after every step no page in the {@link ShadowIommu}'s record that is not populated, and nothing mapped
 *       outside a live listener's window (a leak turns stale at the next private conversion).
 *   <li>The state equals the per-block model: a refused step changed nothing, except that a refused populate whose
 *       compensation failed left exactly {@link ConversionException#keptPopulatedBytes()} of its range populated.
 *   <li><b>Missing</b> pages (populated, not mapped: the device faults, no security hole) appear only right after a
 *       {@link ConversionException} that is not {@linkplain ConversionException#isConsistent() consistent}, and
 *       {@link MappingAuditor} reports them; otherwise the auditor is clean.
 *   <li>Converting the missing runs again (private, then shared) brings the auditor clean; after close nothing is
 *       mapped or pinned.
 * </ul>
 */
public final class DoubleFaultSweep {
  /** How far after the first fault the second may come, in mutating back-end calls. */
  static final int WINDOW = 8;
  /** Attempts a VMM makes at a refused registration, close or repair before the sweep calls it a failure. */
  private static final int ATTEMPTS = 4;
  private static final long G = FaultSweep.G;
  private static final int BLOCKS = FaultSweep.BLOCKS;

  /**
   * A back-end under test with the policy its listeners map by.
   *
   * @param listeners 1: one listener for the workload's section; 2: also a second one, on its own address space of
   *     the same back-end, for the whole region (two devices in two containers), so that a refusal by one listener
   *     must be compensated in the other and a kept-populated range re-populates both
   */
  public record Case(Target target, MappingPolicy policy, int listeners) {
    public Case {
      if (listeners != 1 && listeners != 2) {
        throw new IllegalArgumentException("listeners must be 1 or 2, not " + listeners);
      }
    }

    String label() {
      return target.label() + " " + policy.configName() + (listeners == 2 ? " x2" : "");
    }
  }

  /** What a sweep did. */
  public record Totals(long runs, long operations, long backendCalls, long faultsInjected, long inconsistent,
      long keptPopulatedBytes, long missingRepaired, Map<String, Long> perFault) {
    static Totals zero() {
      return new Totals(0, 0, 0, 0, 0, 0, 0, Map.of());
    }

    Totals plus(Totals o) {
      Map<String, Long> faults = new LinkedHashMap<>(perFault);
      o.perFault.forEach((k, v) -> faults.merge(k, v, Long::sum));
      return new Totals(runs + o.runs, operations + o.operations, backendCalls + o.backendCalls,
          faultsInjected + o.faultsInjected, inconsistent + o.inconsistent, keptPopulatedBytes + o.keptPopulatedBytes,
          missingRepaired + o.missingRepaired, faults);
    }
  }

  private DoubleFaultSweep() {}

  /** The key under which the faults raised as {@code kind} are counted. */
  static String raisedKey(FaultKind kind) {
    return "raised as " + kind;
  }

  /**
   * The seeds of a sweep: {@code -Dguestmem.test.doublefault-seeds=N} runs N workloads (default 8, what CI runs); each
   * failure message names its seed and both faults.
   */
  public static LongStream seeds() {
    return LongStream.rangeClosed(1, Long.getLong("guestmem.test.doublefault-seeds", 8));
  }

  /**
   * One dynamic test per case and seed ({@link #seeds()}), then one that records the totals with
   * {@link ReliabilityReport} (kind {@code double-fault}) and checks that two faults were injected in most runs and
   * that every fault of every table was injected at least once for a kind of call the workloads make.
   */
  public static Stream<DynamicTest> tests(String label, List<Case> cases) {
    Totals[] sum = {Totals.zero()};
    long[][] kindsCalled = new long[cases.size()][Call.values().length];
    long[] passed = {0};
    Stream<DynamicTest> runs = Stream.iterate(0, i -> i < cases.size(), i -> i + 1).flatMap(i ->
        seeds().mapToObj(seed -> DynamicTest.dynamicTest(cases.get(i).label() + " seed " + seed, () -> {
          Totals done = sweep(cases.get(i), seed, kindsCalled[i]);
          sum[0] = sum[0].plus(done);
          passed[0]++;
        })));
    DynamicTest report = DynamicTest.dynamicTest("totals", () -> {
      long expected = cases.size() * seeds().count();
      if (passed[0] != expected) {
        throw new AssertionError((expected - passed[0]) + " of " + expected + " sweeps failed; no totals recorded");
      }
      Totals t = sum[0];
      ReliabilityReport.record("double-fault", label, ReliabilityReport.counts("runs", t.runs(), "operations",
          t.operations(), "backend-calls", t.backendCalls(), "faults-injected", t.faultsInjected(),
          "inconsistent", t.inconsistent(), "kept-populated-bytes", t.keptPopulatedBytes(),
          "missing-repaired", t.missingRepaired(),
          "runtime", t.perFault().getOrDefault(raisedKey(FaultKind.RUNTIME), 0L),
          "error", t.perFault().getOrDefault(raisedKey(FaultKind.ERROR), 0L),
          "checked", t.perFault().getOrDefault(raisedKey(FaultKind.CHECKED), 0L)));
      if (t.faultsInjected() < t.runs() * 3 / 2) {
        throw new AssertionError("fewer than 1.5 faults per run were injected: " + t);
      }
      for (FaultKind kind : FaultKind.values()) {
        if (!t.perFault().containsKey(raisedKey(kind))) {
          throw new AssertionError("no fault was raised as " + kind + ": " + t);
        }
      }
      for (int i = 0; i < cases.size(); i++) {
        for (Fault f : cases.get(i).target().faults()) {
          if (kindsCalled[i][f.call().ordinal()] > 0 && !t.perFault().containsKey(key(cases.get(i), f))) {
            throw new AssertionError(cases.get(i).label() + ": " + f + " on " + f.call() + " was never injected");
          }
        }
      }
    });
    return Stream.concat(runs, Stream.of(report));
  }

  private static String key(Case c, Fault f) {
    return c.label() + " " + f.call() + " " + f;
  }

  /** Sweeps every pair of positions of the workload of {@code seed}; {@code kindsCalled} gets the dry run's calls. */
  static Totals sweep(Case c, long seed, long[] kindsCalled) {
    List<Step> steps = FaultSweep.workload(seed);
    String ctx = c.label() + " seed " + seed;
    Run dry = new Run(c, steps, ctx + " (no fault)", new long[0], seed);
    dry.execute();
    for (Lane lane : dry.lanes) {
      for (Call k : Call.values()) {
        kindsCalled[k.ordinal()] += lane.injector.calls(k);
      }
    }
    Totals totals = dry.totals();
    long n = dry.trigger.calls;
    for (long k1 = 1; k1 <= n; k1++) {
      for (long k2 = k1 + 1; k2 <= k1 + WINDOW; k2++) {
        Run run = new Run(c, steps, ctx + ", faults at calls " + k1 + " and " + k2, new long[] {k1, k2}, seed);
        run.execute();
        if (run.trigger.fired.isEmpty()) {
          throw new AssertionError(run.ctx + ": no fault was injected (the run is not deterministic?)");
        }
        totals = totals.plus(run.totals());
      }
    }
    return totals;
  }

  /**
   * The two armed call positions, counted over every lane's mutating calls in call order: at each, the lane's
   * injector is armed with a fault drawn for that call's kind, so that it fails this very call.
   */
  private static final class Trigger {
    final long[] armed;
    final List<Fault> faults;
    final SplittableRandom rnd;
    final String caseLabel;
    final List<String> fired = new ArrayList<>();
    final Map<String, Long> perFault = new LinkedHashMap<>();
    long calls;

    Trigger(long[] armed, List<Fault> faults, SplittableRandom rnd, String caseLabel) {
      this.armed = armed;
      this.faults = faults;
      this.rnd = rnd;
      this.caseLabel = caseLabel;
    }

    void next(Call kind, FailingDmaBackend injector, int lane) {
      calls++;
      for (long k : armed) {
        if (k == calls) {
          List<Fault> ofKind = faults.stream().filter(f -> f.call() == kind).toList();
          if (ofKind.isEmpty()) {
            return;
          }
          Fault f = ofKind.get(rnd.nextInt(ofKind.size()));
          int walk = rnd.nextInt(3);
          FaultKind raised = FaultKind.values()[rnd.nextInt(FaultKind.values().length)];
          injector.failOn(1, f, walk).failAs(raised);
          fired.add("call " + calls + " (listener " + lane + "): " + f + " as " + raised + " on " + kind + " (walk "
              + walk + ")");
          perFault.merge(caseLabel + " " + kind + " " + f, 1L, Long::sum);
          perFault.merge(raisedKey(raised), 1L, Long::sum);
        }
      }
    }
  }

  /**
   * One device's view: its address space (raw back-end, {@link ShadowIommu} recorder, {@link FailingDmaBackend}
   * injector), the listener mapping into it and the blocks it may be missing. As the back-end its listener is given,
   * it reports each mutating call to the {@link Trigger} and checks every map against the region: mapping a page
   * that is not populated at that instant is the stale mapping this sweep exists to rule out.
   */
  private static final class Lane extends ForwardingDmaBackend {
    final int index;
    final DmaBackend raw;
    final ShadowIommu shadow;
    final FailingDmaBackend injector;
    final Trigger trigger;
    final AttributeManager manager;
    final List<String> staleMaps = new ArrayList<>();
    /** Blocks that may be missing: left so by an inconsistent refusal and not mapped or discarded since. */
    final BitSet allowedMissing = new BitSet(BLOCKS);
    DmaMappingListener listener;

    Lane(int index, DmaBackend raw, Trigger trigger, AttributeManager manager) {
      this(index, raw, new ShadowIommu(raw), trigger, manager);
    }

    private Lane(int index, DmaBackend raw, ShadowIommu shadow, Trigger trigger, AttributeManager manager) {
      super(new FailingDmaBackend(shadow));
      this.index = index;
      this.raw = raw;
      this.shadow = shadow;
      this.injector = (FailingDmaBackend) delegate; // every call this lane does not check goes straight to it
      this.trigger = trigger;
      this.manager = manager;
    }

    @Override
    public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
      trigger.next(Call.MAP, injector, index);
      long offset = iova - manager.layout().iovaBase();
      if (!manager.isPopulated(offset, length)) {
        staleMaps.add(String.format("STALE: listener %d maps offsets [0x%x, 0x%x) while %s (call %d)", index,
            offset, offset + length, manager.stateAt(offset), trigger.calls));
      }
      injector.map(iova, length, vaddr, readable, writable);
    }

    @Override
    public long unmap(long iova, long length) {
      trigger.next(Call.UNMAP, injector, index);
      return injector.unmap(iova, length);
    }

    @Override
    public long cut(long iova, long length) {
      trigger.next(Call.CUT, injector, index);
      return injector.cut(iova, length);
    }

    /** The populated blocks of the listener's window the shadow does not record as mapped. */
    BitSet missing() {
      BitSet out = new BitSet(BLOCKS);
      if (listener == null) {
        return out;
      }
      BitSet mapped = mappedBlocks();
      int from = (int) (listener.sectionOffset() / G);
      int to = (int) ((listener.sectionOffset() + listener.sectionLength()) / G);
      for (int b = from; b < to; b++) {
        if (!mapped.get(b) && manager.isPopulated(b * G, G)) {
          out.set(b);
        }
      }
      return out;
    }

    BitSet mappedBlocks() {
      BitSet mapped = new BitSet(BLOCKS);
      long base = manager.layout().iovaBase();
      for (MappingRun m : shadow.recorded()) {
        mapped.set((int) ((m.iova() - base) / G), (int) ((m.last() + 1 - base) / G));
      }
      return mapped;
    }

    /** Every invariant of this lane; the security one first. */
    void check(List<String> problems) {
      problems.addAll(staleMaps);
      BitSet mapped = mappedBlocks();
      for (int b = mapped.nextSetBit(0); b >= 0; b = mapped.nextSetBit(b + 1)) {
        if (!manager.isPopulated(b * G, G)) {
          problems.add("STALE: block " + b + " is mapped for DMA by listener " + index + " but "
              + manager.stateAt(b * G));
        }
      }
      problems.addAll(shadow.leaked(listener == null ? List.of() : List.of(listener)));
      problems.addAll(shadow.violations());
      if (listener == null) {
        return;
      }
      BitSet missing = missing();
      allowedMissing.and(missing);
      BitSet unexplained = (BitSet) missing.clone();
      unexplained.andNot(allowedMissing);
      if (!unexplained.isEmpty()) {
        problems.add("MISSING blocks " + unexplained + " of listener " + index + " without an inconsistent refusal");
      }
      List<String> audit = MappingAuditor.audit(listener);
      if (missing.isEmpty() ? !audit.isEmpty() : audit.isEmpty()) {
        problems.add("the auditor says " + audit + " of listener " + index + " but its missing blocks are "
            + missing);
      }
      for (String p : shadow.check(listener)) {
        if (!p.startsWith("MISSING")) {
          problems.add(p);
        }
      }
    }

    void checkClosed(String where) {
      try {
        MappingAuditor.checkNothingMapped(raw);
      } catch (IllegalStateException e) {
        throw new AssertionError(where + ": " + e.getMessage(), e);
      }
      if (!shadow.recorded().isEmpty() || !shadow.violations().isEmpty()) {
        throw new AssertionError(where + ": the shadow of listener " + index + " holds " + shadow.recorded()
            + ", violations " + shadow.violations());
      }
      raw.close();
      if (raw.pinnedBytes() != 0) {
        throw new AssertionError(where + ": " + raw.pinnedBytes() + " bytes pinned after back-end " + index
            + " closed");
      }
    }
  }

  /** One execution of a workload with its faults armed at fixed call positions. */
  private static final class Run {
    final Case c;
    final String ctx;
    final List<Step> steps;
    final Trigger trigger;
    final List<Lane> lanes = new ArrayList<>();
    final AttributeManager manager = FaultSweep.newManager(new org.guestmem.conformance.ModelStoreProvider());
    final boolean[] shared = new boolean[BLOCKS];
    final boolean[] plugged = new boolean[BLOCKS];
    long operations;
    long inconsistent;
    long keptBytes;
    long missingRepaired;

    Run(Case c, List<Step> steps, String ctx, long[] armed, long seed) {
      this.c = c;
      this.ctx = ctx;
      this.steps = steps;
      long mix = seed * 0x9E37_79B9_7F4A_7C15L + (armed.length == 0 ? 0 : armed[0] * 1_000_003L + armed[1]);
      this.trigger = new Trigger(armed, c.target().faults(), new SplittableRandom(mix), c.label());
      for (int i = 0; i < c.listeners(); i++) {
        lanes.add(new Lane(i, c.target().open().get(), trigger, manager));
      }
      Arrays.fill(plugged, true);
    }

    Totals totals() {
      long calls = 0;
      long injected = 0;
      for (Lane lane : lanes) {
        calls += lane.shadow.callsRecorded() + lane.injector.injected();
        injected += lane.injector.injected();
      }
      return new Totals(1, operations, calls, injected, inconsistent, keptBytes, missingRepaired,
          trigger.perFault);
    }

    private String where(String what) {
      return ctx + (trigger.fired.isEmpty() ? "" : " " + trigger.fired) + ", " + what;
    }

    void execute() {
      for (int i = 0; i < steps.size(); i++) {
        Step s = steps.get(i);
        if (s.kind() == Kind.CLOSE) {
          repair(where("repair before step " + i));
        }
        String where = where("step " + i + " " + s);
        operations++;
        switch (s.kind()) {
          case REGISTER -> {
            register(lanes.get(0), s.first(), s.count(), where);
            if (lanes.size() > 1) {
              verify(where);
              register(lanes.get(1), 0, BLOCKS, where + " (second listener, whole region)");
            }
          }
          case CLOSE -> {
            for (Lane lane : lanes) {
              close(lane, where + " (listener " + lane.index + ")");
            }
          }
          default -> convert(s, where);
        }
        verify(where);
      }
      for (Lane lane : lanes) {
        lane.checkClosed(where("after close"));
      }
    }

    /** Applies a conversion step to the region and the model; false if it was refused. */
    private boolean convert(Step s, String where) {
      boolean towardsPopulated = s.towardsPopulated();
      boolean[] attr = s.changesShared() ? shared : plugged;
      try {
        s.applyTo(manager);
      } catch (Throwable t) {
        ConversionException e = refusal(t);
        if (e.isConsistent()) {
          if (e.keptPopulatedBytes() != 0) {
            throw new AssertionError(where + ": a consistent refusal kept " + e.keptPopulatedBytes() + " bytes", e);
          }
        } else {
          inconsistent++;
          keptBytes += e.keptPopulatedBytes();
          acceptKept(s, attr, towardsPopulated, e, where);
        }
        afterRefusal(e);
        return false;
      }
      Arrays.fill(attr, s.first(), s.first() + s.count(), towardsPopulated);
      return true;
    }

    /**
     * An inconsistent refusal towards populated may leave blocks of its range changed: exactly the kept bytes, and
     * only blocks that became populated. A refusal towards discarded changes nothing.
     */
    private void acceptKept(Step s, boolean[] attr, boolean towardsPopulated, ConversionException e, String where) {
      long changed = 0;
      // The source's own attribute: an unplugged block reads DISCARDED whether it is shared or not.
      StateStore source = manager.snapshot(attr == shared ? Source.GUEST_MEMFD : Source.PLUG);
      for (int b = s.first(); b < s.first() + s.count(); b++) {
        boolean now = source.get(b) == 1;
        if (now != attr[b]) {
          if (!towardsPopulated || !manager.isPopulated(b * G, G)) {
            throw new AssertionError(where + ": block " + b + " changed to " + manager.stateAt(b * G)
                + " after a refusal that could only keep blocks populated", e);
          }
          attr[b] = now;
          changed++;
        }
      }
      if (changed * G != e.keptPopulatedBytes()) {
        throw new AssertionError(where + ": " + changed * G + " bytes changed but the exception says "
            + e.keptPopulatedBytes() + " were kept populated", e);
      }
    }

    /**
     * The ConversionException a refusal of any kind carries (an injected Error carries it as suppressed); anything
     * else, a failed check of this sweep among them, is rethrown.
     */
    private static ConversionException refusal(Throwable t) {
      return ConversionException.of(t).orElseThrow(() -> t instanceof Error err ? err
          : new AssertionError("not a refusal: " + t, t));
    }

    /** After any refusal: the blocks missing now are allowed only if the refusal says it is inconsistent. */
    private void afterRefusal(ConversionException e) {
      if (!e.isConsistent()) {
        for (Lane lane : lanes) {
          lane.allowedMissing.or(lane.missing());
        }
      }
    }

    private void register(Lane lane, int first, int count, String where) {
      for (int attempt = 0; attempt < ATTEMPTS && lane.listener == null; attempt++) {
        int before = manager.listenerCount();
        try {
          lane.listener = DmaMappingListener.register(manager, first * G, count * G, lane, c.policy());
        } catch (Throwable t) {
          ConversionException e = refusal(t);
          if (!e.isConsistent()) {
            inconsistent++;
          }
          // A refused registration leaves nothing behind, whatever failed while undoing it: a mapping no listener
          // owns is never unmapped and turns stale at the next private conversion.
          if (manager.listenerCount() != before || !lane.shadow.recorded().isEmpty()) {
            throw new AssertionError(where + ": a refused registration (consistent=" + e.isConsistent() + ") left "
                + lane.shadow.recorded(), e);
          }
        }
      }
      if (lane.listener == null) {
        throw new AssertionError(where + ": registration failed " + ATTEMPTS + " times with two faults");
      }
    }

    private void close(Lane lane, String where) {
      if (lane.listener == null) {
        return;
      }
      for (int attempt = 0; attempt < ATTEMPTS && lane.listener != null; attempt++) {
        try {
          lane.listener.close();
          lane.listener = null;
          lane.allowedMissing.clear();
        } catch (IllegalStateException e) {
          throw new AssertionError(where + ": " + e.getMessage(), e);
        } catch (Throwable t) {
          ConversionException e = refusal(t);
          // The listener stays registered; whatever it still maps must be populated. Then close again.
          if (!e.isConsistent()) {
            inconsistent++;
          }
          afterRefusal(e);
          verify(where + " (after refused close attempt " + attempt + ")");
        }
      }
      if (lane.listener != null) {
        throw new AssertionError(where + ": the listener is still registered after " + ATTEMPTS + " closes");
      }
    }

    /** Converts every missing run private and shared again, as a VMM would, until the auditor is clean. */
    private void repair(String where) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        BitSet missing = new BitSet(BLOCKS);
        boolean clean = true;
        for (Lane lane : lanes) {
          missing.or(lane.missing());
          clean &= lane.listener == null || MappingAuditor.audit(lane.listener).isEmpty();
        }
        if (missing.isEmpty() && clean) {
          return;
        }
        for (int b = missing.nextSetBit(0); b >= 0; ) {
          int e = missing.nextClearBit(b);
          operations += 2;
          Step priv = new Step(Kind.PRIVATE, b, e - b);
          boolean released = convert(priv, where + " " + priv);
          verify(where + " " + priv);
          if (released) {
            Step share = new Step(Kind.SHARE, b, e - b);
            if (convert(share, where + " " + share)) {
              missingRepaired += e - b;
            }
            verify(where + " " + share);
          }
          b = missing.nextSetBit(e);
        }
      }
      for (Lane lane : lanes) {
        List<String> left = lane.listener == null ? List.of() : MappingAuditor.audit(lane.listener);
        if (!left.isEmpty()) {
          throw new AssertionError(where + ": listener " + lane.index + " is not clean after " + ATTEMPTS
              + " repairs: " + left);
        }
      }
    }

    private void verify(String where) {
      List<String> problems = new ArrayList<>();
      for (int b = 0; b < BLOCKS; b++) {
        BlockState expected = !plugged[b] ? BlockState.DISCARDED
            : shared[b] ? BlockState.SHARED : BlockState.PRIVATE;
        BlockState actual = manager.stateAt(b * G);
        if (actual != expected) {
          problems.add("block " + b + " is " + actual + ", the model says " + expected);
        }
      }
      for (Lane lane : lanes) {
        lane.check(problems);
      }
      if (!problems.isEmpty()) {
        throw new AssertionError(where + ": " + String.join("; ", problems));
      }
    }
  }
}
