package org.guestmem.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.guestmem.conformance.FailingDmaBackend;
import org.guestmem.conformance.FailingDmaBackend.Call;
import org.guestmem.conformance.FailingDmaBackend.Fault;
import org.guestmem.conformance.FailingMemoryAttributes;
import org.guestmem.conformance.FailingStoreProvider;
import org.guestmem.conformance.FaultKind;
import org.guestmem.conformance.ModelMemoryAttributes;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.DmaConfigurationException;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.DmaPins;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider;
import org.guestmem.spi.StateStoreProvider;

/**
 * The fault sweep: a seeded random workload (conversions and plug changes before and after a DMA mapping listener
 * registers, then its close) is run once to count the back-end calls of each kind and the state stores' writes, then
 * once more for every k, every fault a kernel can return for that kind of call and every {@link FaultKind} it can be
 * raised as (the kernel's exception, an Error, an undeclared checked exception), failing exactly the k-th call of
 * that kind with it; once more for every k and kind failing the k-th write of each state store part-way (every
 * fourth time with the write-back failing too, so that the store is rebuilt); and once more for every k, every
 * refusal KVM documents and every kind, failing the k-th KVM conversion of a run (the region converts its guest
 * memory through a reference guest_memfd model whose pins are the back-end's mappings), which covers a refusal at
 * every run of a multi-run conversion.
 *
 * <p>After every step of every run: the manager's state and KVM's equal a per-block model (a refused step changed
 * nothing),
 * the refused conversion's compensation succeeded, {@link MappingAuditor} finds the mappings equal to the populated
 * runs, and a {@link ShadowIommu} that recorded every call shows no stale, missing or leaked mapping. After the
 * listener closes nothing is mapped or pinned, and after the back-end closes nothing is pinned.
 *
 * <p>Layers, top to bottom: manager, {@link DmaMappingListener}, {@link FailingDmaBackend} (the injector),
 * {@link ShadowIommu}, the back-end under test.
 */
public final class FaultSweep {
  static final long G = 4096;
  static final int BLOCKS = 48;
  /** 4 GiB: inside the usable IOVA ranges of every back-end (above the x86 interrupt window). */
  static final long IOVA_BASE = 1L << 32;
  static final long HOST = 0x7f12_3440_0000L;
  static final int PRE_STEPS = 4;
  static final int STEPS = 30;

  /**
   * A back-end under test.
   *
   * @param label names it in test names and reports, e.g. {@code iommufd(cut)}
   * @param open opens a new, empty address space
   * @param faults every failure its kernel documents for each kind of call
   */
  public record Target(String label, Supplier<DmaBackend> open, List<Fault> faults) {}

  /**
   * What a sweep did; {@code runtime}, {@code error}, {@code checked} count the faults injected of each kind,
   * {@code storeFaults} those injected into a state store rather than the back-end, {@code kvmFaults} those into
   * KVM and {@code kvmFaultsLaterRun} the KVM faults that refused a run after the first of a multi-run conversion
   * (so that runs already converted had to be converted back). {@code verifications} counts the checks after every
   * step, {@code stale} and {@code leaked} the stale and leaked mappings they found (any is a failure, so a
   * completed sweep reports 0).
   */
  public record Totals(long runs, long operations, long backendCalls, long faultsInjected, long runtime, long error,
      long checked, long storeFaults, long kvmFaults, long kvmFaultsLaterRun, long verifications, long stale,
      long leaked) {
    static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    Totals plus(Totals o) {
      return new Totals(runs + o.runs, operations + o.operations, backendCalls + o.backendCalls,
          faultsInjected + o.faultsInjected, runtime + o.runtime, error + o.error, checked + o.checked,
          storeFaults + o.storeFaults, kvmFaults + o.kvmFaults, kvmFaultsLaterRun + o.kvmFaultsLaterRun,
          verifications + o.verifications, stale + o.stale, leaked + o.leaked);
    }
  }

  enum Kind { SHARE, PRIVATE, PLUG, UNPLUG, REGISTER, CLOSE }

  record Step(Kind kind, int first, int count) {
    /** Applies this conversion (share, make private, plug or unplug) to {@code manager}, in blocks of {@link #G}. */
    void applyTo(AttributeManager manager) {
      long off = first * G;
      long len = count * G;
      switch (kind) {
        case SHARE -> manager.share(off, len);
        case PRIVATE -> manager.makePrivate(off, len);
        case PLUG -> manager.plug(off, len);
        case UNPLUG -> manager.unplug(off, len);
        default -> throw new IllegalStateException(this + " is not a conversion");
      }
    }

    /** Whether this conversion moves its blocks towards populated (share, plug) rather than discarded. */
    boolean towardsPopulated() {
      return kind == Kind.SHARE || kind == Kind.PLUG;
    }

    /** Whether this conversion changes the shared attribute (share, make private) rather than the plugged one. */
    boolean changesShared() {
      return kind == Kind.SHARE || kind == Kind.PRIVATE;
    }

    @Override
    public String toString() {
      return kind + (kind == Kind.CLOSE ? "" : " blocks [" + first + ", " + (first + count) + ")");
    }
  }

  private FaultSweep() {}

  /**
   * The seeds of a sweep: {@code -Dguestmem.test.sweep-seeds=N} runs N of them (default 3, what CI runs); every seed is a
   * different workload, and each failure message names its seed.
   */
  public static LongStream seeds() {
    return LongStream.rangeClosed(1, Long.getLong("guestmem.test.sweep-seeds", 3));
  }

  /**
   * One dynamic test per target, policy and seed, then one that records the totals with {@link ReliabilityReport}
   * (kind {@code fault-sweep}) and checks the sweep did something: every kind of fault, at least one KVM fault on a
   * run after the first of a multi-run conversion, and verifications that found no stale or leaked mapping.
   */
  public static Stream<DynamicTest> tests(String label, List<Target> targets) {
    Totals[] sum = {Totals.NONE};
    Stream<DynamicTest> runs = targets.stream().flatMap(t -> Stream.of(MappingPolicy.values()).flatMap(p ->
        seeds().mapToObj(seed -> DynamicTest.dynamicTest(t.label() + " " + p.configName() + " seed " + seed, () -> {
          Totals done = sweep(t, p, seed);
          sum[0] = sum[0].plus(done);
        }))));
    DynamicTest report = DynamicTest.dynamicTest("totals", () -> {
      Totals t = sum[0];
      ReliabilityReport.record("fault-sweep", label, ReliabilityReport.counts("runs", t.runs(), "operations",
          t.operations(), "backend-calls", t.backendCalls(), "faults-injected", t.faultsInjected(), "runtime",
          t.runtime(), "error", t.error(), "checked", t.checked(), "store-faults", t.storeFaults(), "kvm-faults",
          t.kvmFaults(), "kvm-faults-later-run", t.kvmFaultsLaterRun(), "verifications", t.verifications(), "stale",
          t.stale(), "leaked", t.leaked()));
      if (t.faultsInjected() == 0 || t.operations() <= t.runs()) {
        throw new AssertionError("the sweep injected no fault: " + t);
      }
      if (t.runtime() == 0 || t.error() == 0 || t.checked() == 0 || t.storeFaults() == 0 || t.kvmFaults() == 0) {
        throw new AssertionError("the sweep did not inject every kind of fault: " + t);
      }
      if (t.kvmFaultsLaterRun() == 0) {
        throw new AssertionError("no KVM fault refused a run after the first of a multi-run conversion, so the undo "
            + "of converted runs was not exercised: " + t);
      }
      if (t.verifications() == 0 || t.stale() != 0 || t.leaked() != 0) {
        throw new AssertionError("the sweep verified nothing, or found stale or leaked mappings: " + t);
      }
    });
    return Stream.concat(runs, Stream.of(report));
  }

  /**
   * Sweeps every k and every fault of {@code target} over the workload of {@code seed} with {@code policy}. When the
   * back-end refuses the policy at registration (coalesce on a back-end that cannot cut), checks that the refusal
   * leaves nothing mapped and returns one run.
   */
  public static Totals sweep(Target target, MappingPolicy policy, long seed) {
    List<Step> steps = workload(seed);
    String ctx = target.label() + " " + policy.configName() + " seed " + seed;
    DmaBackend probe = target.open().get();
    boolean cut = probe.capabilities().canCut();
    probe.close();
    if (policy == MappingPolicy.COALESCE && !cut) {
      return refusedConfiguration(target, ctx);
    }
    Run dry = new Run(target, policy, steps, ctx + " (no fault)", FaultKind.RUNTIME);
    dry.execute();
    Totals totals = dry.totals();
    for (Fault fault : target.faults()) {
      long n = dry.injector.calls(fault.call());
      for (long k = 1; k <= n; k++) {
        int walk = (int) (k % 3);
        for (FaultKind kind : FaultKind.values()) {
          Run run = new Run(target, policy, steps, ctx + ": " + fault + " as " + kind + " on " + fault.call() + " #"
              + k + " (walk " + walk + ")", kind);
          run.injector.failOn(k, fault, walk).failAs(kind);
          run.execute();
          if (run.injector.injected() != 1) {
            throw new AssertionError(run.ctx + ": the fault was not injected (the run is not deterministic?)");
          }
          totals = totals.plus(run.totals());
        }
      }
    }
    for (int store = 0; store < 2; store++) {
      long n = dry.stores.store(store).sets();
      for (long k = 1; k <= n; k++) {
        for (FaultKind kind : FaultKind.values()) {
          boolean rebuild = k % 4 == 0;
          Run run = new Run(target, policy, steps, ctx + ": store " + store + " set #" + k + " fails as " + kind
              + (rebuild ? ", its write-back too" : ""), kind);
          run.stores.store(store).failSet(k, kind, rebuild);
          run.execute();
          if (run.stores.store(store).failures() == 0) {
            throw new AssertionError(run.ctx + ": the store fault was not injected (the run is not deterministic?)");
          }
          totals = totals.plus(run.totals());
        }
      }
    }
    for (FailingMemoryAttributes.Fault fault : FailingMemoryAttributes.FAULTS) {
      long n = dry.kvm.calls();
      for (long k = 1; k <= n; k++) {
        for (FaultKind kind : FaultKind.values()) {
          Run run = new Run(target, policy, steps, ctx + ": KVM conversion #" + k + " refused with " + fault + " as "
              + kind, kind);
          run.kvm.failOn(k, fault, kind);
          run.execute();
          if (run.kvm.injected() != 1) {
            throw new AssertionError(run.ctx + ": the KVM fault was not injected (the run is not deterministic?)");
          }
          totals = totals.plus(run.totals());
        }
      }
    }
    return totals;
  }

  private static Totals refusedConfiguration(Target target, String ctx) {
    DmaBackend raw = target.open().get();
    AttributeManager m = newManager(new ModelStoreProvider());
    m.share(0, 8 * G);
    try {
      DmaMappingListener.register(m, raw, MappingPolicy.COALESCE);
      throw new AssertionError(ctx + ": coalesce registered on a back-end that cannot cut");
    } catch (DmaConfigurationException expected) {
      if (!expected.getMessage().contains("coalesce")) {
        throw new AssertionError(ctx + ": the refusal does not name the policy: " + expected.getMessage());
      }
    }
    MappingAuditor.checkNothingMapped(raw);
    if (m.listenerCount() != 0) {
      throw new AssertionError(ctx + ": a refused listener stayed registered");
    }
    raw.close();
    return new Totals(1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  static AttributeManager newManager(StateStoreProvider stores) {
    return AttributeManager.builder().layout(new RegionLayout(BLOCKS * G, G, IOVA_BASE, HOST))
        .store(stores).plugSource(true).build();
  }

  static AttributeManager newManager(StateStoreProvider stores, FailingMemoryAttributes kvm) {
    return AttributeManager.builder().layout(new RegionLayout(BLOCKS * G, G, IOVA_BASE, HOST))
        .store(stores).plugSource(true).memoryAttributes(kvm).build();
  }

  static List<Step> workload(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < PRE_STEPS; i++) {
      steps.add(randomStep(rnd));
    }
    int first = rnd.nextInt(8);
    steps.add(new Step(Kind.REGISTER, first, BLOCKS - first - rnd.nextInt(8)));
    for (int i = 0; i < STEPS; i++) {
      steps.add(randomStep(rnd));
    }
    steps.add(new Step(Kind.CLOSE, 0, 0));
    return steps;
  }

  private static Step randomStep(SplittableRandom rnd) {
    int r = rnd.nextInt(20);
    Kind kind = r < 10 ? Kind.SHARE : r < 17 ? Kind.PRIVATE : r < 18 ? Kind.PLUG : Kind.UNPLUG;
    int count = 1 + rnd.nextInt(rnd.nextInt(6) == 0 ? 16 : 5);
    int first = rnd.nextInt(BLOCKS - count + 1);
    return new Step(kind, first, count);
  }

  /** One execution of a workload with at most one armed fault. */
  private static final class Run {
    final String ctx;
    final List<Step> steps;
    final MappingPolicy policy;
    final DmaBackend raw;
    final ShadowIommu shadow;
    final FailingDmaBackend injector;
    final FailingStoreProvider stores = new FailingStoreProvider(new ModelStoreProvider());
    /** KVM: the reference guest_memfd model, pinned wherever the back-end maps, behind the KVM fault injector. */
    final ModelMemoryAttributes kvmModel;
    final FailingMemoryAttributes kvm;
    final AttributeManager manager;
    /** The kind every injected fault of this run is raised as. */
    final FaultKind raised;
    final boolean[] shared = new boolean[BLOCKS];
    final boolean[] plugged = new boolean[BLOCKS];
    DmaMappingListener listener;
    long operations;
    /** KVM faults that refused run 1 or later of a conversion's changed runs. */
    long kvmFaultsLaterRun;
    long verifications;
    long stale;
    long leaked;

    Run(Target target, MappingPolicy policy, List<Step> steps, String ctx, FaultKind raised) {
      this.ctx = ctx;
      this.raised = raised;
      this.steps = steps;
      this.policy = policy;
      this.raw = target.open().get();
      this.shadow = new ShadowIommu(raw);
      this.injector = new FailingDmaBackend(shadow);
      this.kvmModel = new ModelMemoryAttributes(new MemoryAttributeBackendProvider.Region(BLOCKS * G, IOVA_BASE, 0,
          HOST, DmaPins.of(raw), java.util.Map.of()), true);
      this.kvm = new FailingMemoryAttributes(kvmModel);
      this.manager = newManager(stores, kvm);
      Arrays.fill(plugged, true);
    }

    Totals totals() {
      long storeFaults = stores.store(0).failures() + stores.store(1).failures();
      long faults = injector.injected() + storeFaults + kvm.injected();
      return new Totals(1, operations, shadow.callsRecorded() + injector.injected(), faults,
          raised == FaultKind.RUNTIME ? faults : 0, raised == FaultKind.ERROR ? faults : 0,
          raised == FaultKind.CHECKED ? faults : 0, storeFaults, kvm.injected(), kvmFaultsLaterRun, verifications,
          stale, leaked);
    }

    void execute() {
      for (int i = 0; i < steps.size(); i++) {
        Step s = steps.get(i);
        String where = ctx + ", step " + i + " " + s;
        operations++;
        switch (s.kind()) {
          case REGISTER -> register(s, where);
          case CLOSE -> close(where);
          default -> convert(s, where);
        }
        verify(where);
      }
      MappingAuditor.checkNothingMapped(raw);
      if (!shadow.recorded().isEmpty() || !shadow.violations().isEmpty()) {
        throw new AssertionError(ctx + ": after close the shadow holds " + shadow.recorded() + ", violations "
            + shadow.violations());
      }
      raw.close();
      if (raw.pinnedBytes() != 0) {
        throw new AssertionError(ctx + ": " + raw.pinnedBytes() + " bytes pinned after the back-end closed");
      }
    }

    private void convert(Step s, String where) {
      long kvmCallsBefore = kvm.calls();
      int kvmFaultsBefore = kvm.injected();
      try {
        s.applyTo(manager);
      } catch (Throwable t) {
        if (kvm.injected() > kvmFaultsBefore && kvm.injectedAtCall() - kvmCallsBefore - 1 >= 1) {
          // The step's KVM calls before the fault each converted one changed run (no retry or undo comes first).
          kvmFaultsLaterRun++;
        }
        ConversionException e = raised.expect(t, where);
        if (!e.isConsistent()) {
          throw new AssertionError(where + ": a compensation failed after one injected fault", e);
        }
        return;
      }
      Arrays.fill(s.changesShared() ? shared : plugged, s.first(), s.first() + s.count(), s.towardsPopulated());
    }

    private void register(Step s, String where) {
      for (int attempt = 0; attempt < 2 && listener == null; attempt++) {
        try {
          listener = DmaMappingListener.register(manager, s.first() * G, s.count() * G, injector, policy);
        } catch (Throwable t) {
          ConversionException e = raised.expect(t, where);
          // A refused registration leaves nothing behind; a VMM retries (the fault is gone).
          if (manager.listenerCount() != 0 || !raw.mappingRuns().isEmpty() || !shadow.recorded().isEmpty()) {
            throw new AssertionError(where + ": a refused registration left " + raw.mappingRuns(), e);
          }
        }
      }
      if (listener == null) {
        throw new AssertionError(where + ": registration failed twice with one fault");
      }
    }

    private void close(String where) {
      if (listener == null) {
        return;
      }
      try {
        listener.close();
      } catch (Throwable t) {
        raised.expect(t, where);
        // The listener stays registered and whole; check that, then close again.
        verify(where + " (after the refused close)");
        listener.close();
      }
      if (manager.listenerCount() != 0) {
        throw new AssertionError(where + ": the listener is still registered after close");
      }
      listener = null;
    }

    private void verify(String where) {
      for (int b = 0; b < BLOCKS; b++) {
        BlockState expected = !plugged[b] ? BlockState.DISCARDED
            : shared[b] ? BlockState.SHARED : BlockState.PRIVATE;
        BlockState actual = manager.stateAt(b * G);
        if (actual != expected) {
          throw new AssertionError(where + ": block " + b + " is " + actual + ", the model says " + expected);
        }
        if (!kvmModel.isUniform(b * G, G, shared[b])) {
          throw new AssertionError(where + ": KVM has block " + b + (shared[b] ? " private" : " shared")
              + ", the model says " + (shared[b] ? "shared" : "private"));
        }
      }
      List<String> problems = new ArrayList<>();
      if (listener != null) {
        problems.addAll(MappingAuditor.audit(listener));
        problems.addAll(shadow.check(listener));
        problems.addAll(shadow.leaked(List.of(listener)));
      } else {
        problems.addAll(shadow.leaked(List.of()));
        if (!raw.mappingRuns().isEmpty()) {
          problems.add("no listener is registered but the back-end maps " + raw.mappingRuns());
        }
        problems.addAll(shadow.violations());
      }
      verifications++;
      stale += problems.stream().filter(p -> p.startsWith("STALE:")).count();
      leaked += problems.stream().filter(p -> p.startsWith("LEAKED:")).count();
      if (!problems.isEmpty()) {
        throw new AssertionError(where + ": " + String.join("; ", problems));
      }
    }
  }
}
