package org.guestmem.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.conformance.RecordingListener;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.AttributeManagerBuilder;
import org.guestmem.region.BlockState;
import org.guestmem.region.RegionLayout;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class WorkloadsTest {
  private static final long K = 1L << 10;
  private static final long M = 1L << 20;
  private static final long G = 1L << 30;
  private static final long T = 1L << 40;
  private static final long[] SEEDS = {1, 42, 0x5eedL, -7};

  /** The operations of a stream as (kind, offset, length) triples, for comparisons. */
  static List<long[]> drain(OpStream ops) {
    List<long[]> out = new ArrayList<>();
    while (ops.next()) {
      out.add(new long[] {ops.kind().ordinal(), ops.offset(), ops.length()});
    }
    return out;
  }

  static boolean same(List<long[]> a, List<long[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  @TestFactory
  Stream<DynamicTest> everyOperationIsAlignedInsideAndDeterministic() {
    List<DynamicTest> tests = new ArrayList<>();
    long[][] shapes = {{64 * K, 4 * K}, {G, 4 * K}, {G, 2 * M}, {T, 4 * K}, {16 * T, 4 * K}, {64 * T, 64 * K},
        {3 * G + 8 * K, 4 * K}};
    for (Workload w : Workloads.all()) {
      for (long[] shape : shapes) {
        for (long seed : SEEDS) {
          String name = String.format("%s size=0x%x granularity=0x%x seed=%d", w.name(), shape[0], shape[1], seed);
          tests.add(dynamicTest(name, () -> {
            WorkloadSpec spec = new WorkloadSpec(shape[0], shape[1], seed, 3_000);
            List<long[]> first = drain(w.ops(spec));
            List<long[]> second = drain(w.ops(spec));
            assertTrue(same(first, second), name + ": the same spec gave different operations");
            assertEquals(first.size(), w.operations(spec), name + ": operations() disagrees with the stream");
            if (seed == SEEDS[0]) {
              WorkloadSpec defaults = WorkloadSpec.of(shape[0], shape[1], seed);
              long n = 0;
              for (OpStream s = w.ops(defaults); s.next(); ) {
                n++;
              }
              assertEquals(n, w.operations(defaults), name + ": operations() disagrees with the default stream");
            }
            assertFalse(first.isEmpty() && shape[0] / shape[1] > 1, name + ": no operations");
            for (long[] op : first) {
              OpKind kind = OpKind.values()[(int) op[0]];
              long off = op[1];
              long len = op[2];
              assertTrue(len > 0, name + ": empty operation " + kind + " at 0x" + Long.toHexString(off));
              assertEquals(0, off % shape[1], name + ": offset 0x" + Long.toHexString(off) + " misaligned");
              assertEquals(0, len % shape[1], name + ": length 0x" + Long.toHexString(len) + " misaligned");
              assertTrue(off >= 0 && off + len > off && off + len <= shape[0],
                  name + ": [0x" + Long.toHexString(off) + ", +0x" + Long.toHexString(len) + ") outside");
              assertTrue(w.usesPlugSource() || !kind.needsPlugSource(), name + ": " + kind + " without plug source");
            }
          }));
        }
      }
    }
    return tests.stream();
  }

  @Test
  void seedsNameDifferentWorkloads() {
    for (Workload w : Workloads.all()) {
      if (w.name().equals("checkerboard")) {
        continue; // nothing random about it
      }
      WorkloadSpec a = new WorkloadSpec(T, 4 * K, 1, 500);
      WorkloadSpec b = new WorkloadSpec(T, 4 * K, 2, 500);
      assertFalse(same(drain(w.ops(a)), drain(w.ops(b))), w.name() + ": seeds 1 and 2 gave the same operations");
    }
  }

  @Test
  void aSeedNamesTheSameOperationsOnEveryJdk() {
    // Pinned values: the generator is SplitMix64 written out, not a JDK class whose algorithm may change.
    OpStream ops = Workloads.named("dynamic-dma").ops(new WorkloadSpec(T, 4 * K, 42, 3));
    List<long[]> got = drain(ops);
    assertEquals(3, got.size());
    SplitMix64 r = new SplitMix64(42);
    assertEquals(0xbdd732262feb6e95L, r.nextLong(), "SplitMix64 changed");
  }

  @Test
  void bootSwiotlbSharesTheBounceBufferAndThePerVcpuPages() {
    long size = 8 * G;
    AttributeManager region = region(size, 4 * K, false);
    RecordingListener listener = listenerOn(region);
    OpStream ops = Workloads.named("boot-swiotlb").ops(WorkloadSpec.of(size, 4 * K, 9));
    long bounce = size * 6 / 100 / (2 * M) * (2 * M);
    List<long[]> all = drain(ops);
    assertEquals(bounce / (2 * M) + 8 * 3, all.size());
    for (long[] op : all) {
      OpKind.values()[(int) op[0]].applyTo(region, op[1], op[2]);
    }
    long shared = region.bytesIn(BlockState.SHARED);
    assertTrue(shared >= bounce && shared <= bounce + 24 * 4 * K, "shared " + shared);
    assertEquals(shared, listener.view().cardinality() * 4 * K);
  }

  @Test
  void bootSwiotlbCapsTheBounceBufferAt1GiB() {
    List<long[]> ops = drain(Workloads.named("boot-swiotlb").ops(WorkloadSpec.of(16 * T, 4 * K, 3)));
    long bounceBytes = ops.stream().filter(o -> o[2] == 2 * M).count() * 2 * M;
    assertEquals(G, bounceBytes);
  }

  @Test
  void checkerboardSharesEveryOtherBlock() {
    long size = 16 * M;
    AttributeManager region = region(size, 4 * K, false);
    drainInto(Workloads.named("checkerboard").ops(WorkloadSpec.of(size, 4 * K, 0)), region);
    assertEquals(size / 2, region.bytesIn(BlockState.SHARED));
    int[] runs = {0};
    region.replayStates(0, size, (off, len, st) -> {
      assertEquals(4 * K, len);
      assertEquals(runs[0] % 2 == 0 ? BlockState.SHARED : BlockState.PRIVATE, st);
      runs[0]++;
      return 0;
    });
    assertEquals(size / (4 * K), runs[0]);
  }

  @Test
  void partialSplitLeavesTheFirstPagePrivateAndTheRestShared() {
    long size = G;
    AttributeManager region = region(size, 4 * K, false);
    OpStream ops = Workloads.named("partial-split").ops(new WorkloadSpec(size, 4 * K, 5, 50));
    int pairs = 0;
    while (ops.next()) {
      assertEquals(OpKind.SHARE, ops.kind());
      long huge = ops.offset();
      assertEquals(2 * M, ops.length());
      ops.kind().applyTo(region, ops.offset(), ops.length());
      assertTrue(ops.next());
      assertEquals(OpKind.PRIVATE, ops.kind());
      assertEquals(huge, ops.offset());
      assertEquals(4 * K, ops.length());
      ops.kind().applyTo(region, ops.offset(), ops.length());
      assertEquals(BlockState.PRIVATE, region.stateAt(huge));
      assertEquals(BlockState.SHARED, region.stateAt(huge + 4 * K));
      pairs++;
    }
    assertEquals(50, pairs);
  }

  @Test
  void virtioMemCvmReachesAllThreeStates() {
    long size = 4 * G;
    AttributeManager region = region(size, 4 * K, true);
    RecordingListener listener = listenerOn(region);
    drainInto(Workloads.named("virtio-mem-cvm").ops(new WorkloadSpec(size, 4 * K, 11, 5_000)), region);
    for (BlockState st : BlockState.values()) {
      assertTrue(region.bytesIn(st) > 0, "no " + st + " bytes");
    }
    assertEquals(region.bytesIn(BlockState.SHARED), listener.view().cardinality() * 4 * K);
  }

  @Test
  void sixteenTebibytesReplayOnARunStore() {
    long size = 16 * T;
    for (Workload w : Workloads.all()) {
      AttributeManager region = region(size, 4 * K, w.usesPlugSource());
      drainInto(w.ops(new WorkloadSpec(size, 4 * K, 8, 300)), region);
      assertTrue(region.bytesIn(BlockState.SHARED) > 0, w.name() + " shared nothing");
      assertEquals(size, region.bytesIn(BlockState.SHARED) + region.bytesIn(BlockState.PRIVATE)
          + region.bytesIn(BlockState.DISCARDED));
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workloads.named("boot"));
    assertEquals("unknown workload 'boot'; known: boot-swiotlb, dynamic-dma, hugepage-2m, partial-split,"
        + " checkerboard, virtio-mem-cvm", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Workloads.named(null));
  }

  @Test
  void everyWorkloadHasANameAndOneLineDescription() {
    assertEquals(6, Workloads.all().size());
    for (Workload w : Workloads.all()) {
      assertEquals(w, Workloads.named(w.name()));
      assertFalse(w.description().isBlank());
      assertFalse(w.description().contains("\n"));
    }
  }

  @Test
  void badSpecsAreRefusedWithTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new WorkloadSpec(G + 1, 4 * K, 0, 0));
    assertTrue(e.getMessage().contains("not a multiple of the granularity"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new WorkloadSpec(G, 4 * K, 0, -1));
    assertTrue(e.getMessage().contains("ops -1"), e.getMessage());
    assertNotEquals(0, new WorkloadSpec(G, 4 * K, 0, 0).blocks());
  }

  static AttributeManager region(long size, long granularity, boolean plug) {
    AttributeManagerBuilder b = AttributeManager.builder().layout(RegionLayout.of(size, granularity))
        .store(new ModelStoreProvider());
    if (plug) {
      b.plugSource(false);
    }
    return b.build();
  }

  /** A recording listener registered on the whole of {@code region}, in its granules. */
  static RecordingListener listenerOn(AttributeManager region) {
    RegionLayout layout = region.layout();
    RecordingListener listener = new RecordingListener("l", layout.granularity(), 0, layout.size());
    region.registerListener(listener, 0, layout.size());
    return listener;
  }

  static void drainInto(OpStream ops, AttributeManager region) {
    while (ops.next()) {
      ops.kind().applyTo(region, ops.offset(), ops.length());
    }
  }
}
