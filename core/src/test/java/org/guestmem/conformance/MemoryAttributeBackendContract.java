package org.guestmem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider;
import org.guestmem.spi.MemoryAttributeBackendProvider.Region;
import org.guestmem.spi.MemoryAttributeException;
import org.guestmem.spi.PinnedRanges;
import org.junit.jupiter.api.Test;

/**
 * What every memory-attribute (KVM) back-end must do, alone and under an {@link AttributeManager}: all-or-nothing
 * conversions with EINVAL for bad ranges, every page private at first, exact state after any sequence; for a
 * back-end that {@linkplain org.guestmem.spi.MemoryAttributeCapabilities#refusesPinned() refuses pinned pages},
 * EAGAIN with the first pinned page's offset when making pinned memory private (and nothing changed), and through
 * the manager exact compensation of such a refusal at any run of a multi-run conversion, retries for a pin outside
 * guestmem, and a held-pin refusal reported when a listener keeps what it was told to discard; and the order of a
 * conversion: KVM makes a range shared before the listeners populate it, and private only after they discarded it.
 */
public abstract class MemoryAttributeBackendContract {
  protected static final long P = 4096;
  protected static final int PAGES = 64;
  /** Where the region's shared backing is mapped; pins are host addresses. */
  protected static final long HOST = 0x7f00_0000_0000L;
  protected static final long FILE_OFFSET = 0x40_0000L;
  protected static final long GPA = 0x1_0000_0000L;

  /** The back-end kind under test. */
  protected abstract MemoryAttributeBackendProvider provider();

  private MemoryAttributeBackend open(PinnedRanges pins) {
    return provider().open(new Region(PAGES * P, GPA, FILE_OFFSET, HOST, pins, Map.of()));
  }

  private static boolean refusesPinned(MemoryAttributeBackend b) {
    return b.capabilities().refusesPinned();
  }

  @Test
  void everyPageStartsPrivateAndDescribesItsPath() {
    try (MemoryAttributeBackend b = open(PinnedRanges.NONE)) {
      assertTrue(b.isUniform(0, PAGES * P, false));
      assertTrue(!b.isUniform(0, P, true));
      assertTrue(!b.capabilities().description().isBlank());
      assertTrue(!b.capabilities().realKernel() || !b.capabilities().description().contains("model"),
          b.capabilities().description());
    }
  }

  @Test
  void randomConversionsMatchAPerPageModel() {
    long seed = 0x5eed_4b56L;
    SplittableRandom rnd = new SplittableRandom(seed);
    try (MemoryAttributeBackend b = open(PinnedRanges.NONE)) {
      BitSet model = new BitSet();
      for (int i = 0; i < 400; i++) {
        int first = rnd.nextInt(PAGES);
        int count = 1 + rnd.nextInt(PAGES - first);
        boolean shared = rnd.nextBoolean();
        b.convert(first * P, count * P, shared);
        model.set(first, first + count, shared);
        int qf = rnd.nextInt(PAGES);
        int qc = 1 + rnd.nextInt(PAGES - qf);
        boolean allShared = model.nextClearBit(qf) >= qf + qc;
        int nextSet = model.nextSetBit(qf);
        boolean allPrivate = nextSet < 0 || nextSet >= qf + qc;
        String where = "seed " + seed + " step " + i + " pages [" + qf + ", " + (qf + qc) + ")";
        assertEquals(allShared, b.isUniform(qf * P, qc * P, true), where);
        assertEquals(allPrivate, b.isUniform(qf * P, qc * P, false), where);
      }
    }
  }

  @Test
  void badRangesAreEinvalAndChangeNothing() {
    try (MemoryAttributeBackend b = open(PinnedRanges.NONE)) {
      b.convert(4 * P, 4 * P, true);
      for (long[] bad : List.of(new long[] {0, 0}, new long[] {1, P}, new long[] {0, P + 1},
          new long[] {(PAGES - 1) * P, 2 * P}, new long[] {-P, 2 * P})) {
        MemoryAttributeException e = assertThrows(MemoryAttributeException.class,
            () -> b.convert(bad[0], bad[1], false), "offset " + bad[0] + " length " + bad[1]);
        assertEquals(Errno.EINVAL, e.errnoConstant(), e.getMessage());
        assertEquals(b.capabilities().ioctl(), e.ioctl());
      }
      assertTrue(b.isUniform(4 * P, 4 * P, true), "a refused call changed the state");
      assertTrue(b.isUniform(0, 4 * P, false));
      assertTrue(b.isUniform(8 * P, (PAGES - 8) * P, false));
    }
  }

  @Test
  void makingPinnedMemoryPrivateIsEagainAtTheFirstPinnedPageWhenTheAbiChecksReferences() {
    DirectPins pins = new DirectPins();
    try (MemoryAttributeBackend b = open(pins)) {
      b.convert(0, 16 * P, true);
      pins.pin(HOST + 9 * P + 100, 3 * P);
      if (refusesPinned(b)) {
        MemoryAttributeException e = assertThrows(MemoryAttributeException.class, () -> b.convert(4 * P, 8 * P, false));
        assertEquals(Errno.EAGAIN, e.errnoConstant(), e.getMessage());
        assertEquals(9 * P, e.errorRegionOffset().orElseThrow());
        long fileBase = e.errorOffset().orElseThrow() - 9 * P;
        assertTrue(fileBase == FILE_OFFSET || fileBase == GPA || fileBase == 0, "error_offset " + e.errorOffset());
        assertTrue(b.isUniform(0, 16 * P, true), "an EAGAIN conversion changed pages before the pinned one");
      } else {
        b.convert(4 * P, 8 * P, false);
        assertTrue(b.isUniform(4 * P, 8 * P, false));
      }
      // Pins never stop a conversion to shared, nor one to private that avoids them.
      b.convert(0, 9 * P, false);
      assertTrue(b.isUniform(0, 9 * P, false));
      b.convert(0, 16 * P, true);
      assertTrue(b.isUniform(0, 16 * P, true));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Through the manager

  private AttributeManager manager(MemoryAttributeBackend b, int retries) {
    return AttributeManager.builder().layout(new RegionLayout(PAGES * P, P, GPA, HOST))
        .store(new ModelStoreProvider()).memoryAttributes(b).pinRetries(retries).build();
  }

  @Test
  void aPinHeldOutsideGuestmemRefusesTheConversionAtAnyRunAndTheUndoIsExact() {
    // Shared pages 0-3, 6-9, 12-15, 18-21: making [0, 22) private changes four runs; a pin in run k (k = 0..3)
    // refuses it after runs 0..k-1 were converted, and every one of them must come back.
    for (int k = 0; k < 4; k++) {
      DirectPins pins = new DirectPins();
      try (MemoryAttributeBackend b = open(pins)) {
        AttributeManager m = manager(b, 2);
        RecordingListener l = new RecordingListener("dma", P, 0, PAGES * P);
        m.registerListener(l, 0, PAGES * P);
        for (int r = 0; r < 4; r++) {
          m.share(6L * r * P, 4 * P);
        }
        BitSet before = l.view();
        pins.pin(HOST + (6L * k + 2) * P, P);
        String where = "pin in run " + k;
        if (!refusesPinned(b)) {
          m.makePrivate(0, 22 * P);
          assertTrue(b.isUniform(0, 22 * P, false), where);
          continue;
        }
        ConversionException e = assertThrows(ConversionException.class, () -> m.makePrivate(0, 22 * P), where);
        MemoryAttributeException cause = (MemoryAttributeException) e.getCause();
        assertEquals(Errno.EAGAIN, cause.errnoConstant(), where);
        assertEquals((6L * k + 2) * P, cause.errorRegionOffset().orElseThrow(), where);
        assertTrue(e.getMessage().contains(String.format("0x%x", (6L * k + 2) * P)), e.getMessage());
        assertTrue(e.isConsistent(), where + ": " + List.of(e.getSuppressed()));
        assertEquals(2, m.pinRetriesMade(), where + ": retries");
        assertEquals(0, m.heldPinRefusals(), where);
        assertEquals(before, l.view(), where + ": the listener did not get its mappings back");
        for (int r = 0; r < 4; r++) {
          assertTrue(b.isUniform(6L * r * P, 4 * P, true), where + ": KVM run " + r + " not converted back");
          assertTrue(m.isPopulated(6L * r * P, 4 * P), where + ": store run " + r);
          if (r < 3) {
            assertTrue(b.isUniform((6L * r + 4) * P, 2 * P, false), where + ": a private gap turned shared");
          }
        }
        pins.unpinAll();
        m.makePrivate(0, 22 * P);
        assertTrue(b.isUniform(0, PAGES * P, false), where + ": after the pin is gone");
        assertEquals(0, l.view().cardinality(), where);
      }
    }
  }

  @Test
  void aTransientPinIsRetriedUntilItGoes() {
    DirectPins pins = new DirectPins();
    try (MemoryAttributeBackend b = open(pins)) {
      AttributeManager m = manager(b, 3);
      m.share(0, 8 * P);
      pins.pin(HOST + 3 * P, P).releaseAfter(2);
      m.makePrivate(0, 8 * P);
      assertTrue(b.isUniform(0, 8 * P, false));
      assertTrue(!m.isPopulated(0, P));
      assertEquals(refusesPinned(b) ? 2 : 0, m.pinRetriesMade());
    }
  }

  @Test
  void aPageAListenerStillHoldsIsABugRefusedWithoutRetryAndReported() {
    HoldingListener holder = new HoldingListener();
    try (MemoryAttributeBackend b = open(holder)) {
      AttributeManager m = manager(b, 5);
      m.registerListener(holder, 0, PAGES * P);
      m.share(0, 8 * P);
      if (!refusesPinned(b)) {
        m.makePrivate(0, 8 * P);
        assertEquals(0, m.heldPinRefusals());
        return;
      }
      ConversionException e = assertThrows(ConversionException.class, () -> m.makePrivate(2 * P, 4 * P));
      assertTrue(e.getMessage().contains("a bug") && e.getMessage().contains("0x2000"), e.getMessage());
      assertEquals(1, m.heldPinRefusals());
      assertEquals(0, m.pinRetriesMade(), "a page guestmem holds must not be retried");
      assertTrue(m.lastHeldPinRefusal().orElseThrow().contains("0x2000"));
      assertTrue(b.isUniform(0, 8 * P, true));
      assertTrue(m.isPopulated(0, 8 * P));
    }
  }

  @Test
  void kvmConvertsBeforeListenersPopulateAndAfterTheyDiscard() {
    try (MemoryAttributeBackend b = open(PinnedRanges.NONE)) {
      AttributeManager m = manager(b, 0);
      OrderCheckingListener order = new OrderCheckingListener(b);
      m.registerListener(order, 0, PAGES * P);
      m.share(0, 4 * P);
      m.share(8 * P, 4 * P);
      m.share(0, 16 * P); // two runs, [4, 8) and [12, 16): KVM converts both before either is populated
      m.makePrivate(2 * P, 12 * P); // [2, 14): discarded as one run before KVM converts it
      m.share(20 * P, 4 * P);
      m.makePrivate(0, 24 * P); // three runs: [0, 2), [14, 16), [20, 24)
      assertEquals(List.of(), order.violations);
      assertEquals(5, order.populates, "populate notifications checked");
      assertEquals(4, order.discards, "discard notifications checked");
      assertTrue(b.isUniform(0, PAGES * P, false));
    }
  }

  /**
   * Checks KVM's state whenever it is told something: a range to populate is already shared in KVM (KVM converts
   * first, so a device never maps memory the guest still owns), a range to discard is still shared (the listeners
   * unmap, dropping their pins, before KVM makes it private).
   */
  private static final class OrderCheckingListener implements org.guestmem.region.RamDiscardListener {
    final MemoryAttributeBackend kvm;
    final List<String> violations = new java.util.ArrayList<>();
    int populates;
    int discards;

    OrderCheckingListener(MemoryAttributeBackend kvm) {
      this.kvm = kvm;
    }

    @Override
    public void populate(long offset, long length) {
      populates++;
      if (!kvm.isUniform(offset, length, true)) {
        violations.add(String.format("populate [0x%x, +0x%x) before KVM made it shared", offset, length));
      }
    }

    @Override
    public void discard(long offset, long length) {
      discards++;
      if (!kvm.isUniform(offset, length, true)) {
        violations.add(String.format("discard [0x%x, +0x%x) after KVM made it private", offset, length));
      }
    }
  }

  /** A broken listener: ignores discards, and its held pages are what it pins. */
  private static final class HoldingListener implements org.guestmem.region.RamDiscardListener, PinnedRanges {
    final BitSet held = new BitSet();

    @Override
    public void populate(long offset, long length) {
      held.set((int) (offset / P), (int) ((offset + length) / P));
    }

    @Override
    public void discard(long offset, long length) {
      // the bug: keeps the pages mapped
    }

    @Override
    public boolean holds(long offset) {
      return held.get((int) (offset / P));
    }

    @Override
    public long firstPinned(long vaddr, long length) {
      int first = held.nextSetBit((int) ((vaddr - HOST) / P));
      return first >= 0 && HOST + first * P < vaddr + length ? Math.max(vaddr, HOST + first * P) : -1;
    }

    @Override
    public String toString() {
      return "HoldingListener";
    }
  }
}
