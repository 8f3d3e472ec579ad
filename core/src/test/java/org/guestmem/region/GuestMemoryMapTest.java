package org.guestmem.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.guestmem.conformance.DirectPins;
import org.guestmem.conformance.FaultKind;
import org.guestmem.conformance.ModelMemoryAttributes;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.conformance.RecordingListener;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackendProvider;
import org.guestmem.spi.MemoryAttributeException;
import org.junit.jupiter.api.Test;

class GuestMemoryMapTest {
  static final long K = 1024;
  static final long M = K * K;
  static final long G = K * M;
  static final long GRAN = 2 * M;

  /** A region of RAM: its manager, listener, KVM model and the pins its KVM model sees. */
  static final class Ram {
    final long gpa;
    final AttributeManager manager;
    final RecordingListener listener;
    final ModelMemoryAttributes kvm;
    final DirectPins pins = new DirectPins();

    Ram(long gpa, long size, long host) {
      this.gpa = gpa;
      kvm = new ModelMemoryAttributes(new MemoryAttributeBackendProvider.Region(size, gpa, 0, host, pins, Map.of()),
          true);
      manager = AttributeManager.builder().layout(new RegionLayout(size, GRAN, gpa, host))
          .store(new ModelStoreProvider()).memoryAttributes(kvm).pinRetries(1).build();
      listener = new RecordingListener("dma@" + Long.toHexString(gpa), GRAN, 0, size);
      manager.registerListener(listener, 0, size);
    }

    /** Everything observable: the state runs, the listener's view, KVM's shared pages (per granule). */
    String snapshot() {
      StringBuilder sb = new StringBuilder();
      manager.replayStates(0, manager.layout().size(), (off, len, st) -> {
        sb.append(off).append('+').append(len).append(st).append(' ');
        return 0;
      });
      BitSet kvmShared = new BitSet();
      for (int b = 0; b < manager.layout().blocks(); b++) {
        kvmShared.set(b, kvm.isUniform(b * GRAN, GRAN, true));
      }
      return sb + " view " + listener.view() + " kvm " + kvmShared;
    }
  }

  static GuestMemoryMap mapOf(Ram... rams) {
    List<GuestMemoryMap.Ram> list = new ArrayList<>();
    for (Ram r : rams) {
      list.add(new GuestMemoryMap.Ram(r.gpa, r.manager));
    }
    return GuestMemoryMap.of(list);
  }

  @Test
  void theHoleIsBadInputNamingTheAddressAndChangesNothing() {
    Ram low = new Ram(0, 2 * G, 0x7f00_0000_0000L);
    Ram high = new Ram(4 * G, 4 * G, 0x7f10_0000_0000L);
    GuestMemoryMap map = mapOf(high, low);
    map.convert(0, 64 * M, true);
    String before = low.snapshot() + high.snapshot();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> map.convert(2 * G - 64 * M, 128 * M, false));
    assertTrue(e.getMessage().contains("0x80000000") && e.getMessage().contains("no RAM region"), e.getMessage());
    assertEquals(before, low.snapshot() + high.snapshot());
    assertThrows(IllegalArgumentException.class, () -> map.convert(3 * G, GRAN, true));
    assertThrows(IllegalArgumentException.class, () -> map.convert(8 * G, GRAN, true));
    assertEquals(low.manager, map.ramAt(GRAN).region());
    assertEquals(high.manager, map.ramAt(5 * G).region());
    assertThrows(IllegalArgumentException.class, () -> GuestMemoryMap.of(List.of(
        new GuestMemoryMap.Ram(0, low.manager), new GuestMemoryMap.Ram(G, high.manager))));
  }

  @Test
  void aSpanningConversionReachesEveryRegionItCovers() {
    Ram node0 = new Ram(4 * G, 2 * G, 0x7f00_0000_0000L);
    Ram node1 = new Ram(6 * G, 2 * G, 0x7f10_0000_0000L);
    GuestMemoryMap map = mapOf(node0, node1);
    List<ConversionResult> r = map.convert(6 * G - 4 * GRAN, 10 * GRAN, true);
    assertEquals(2, r.size());
    assertEquals(4, r.get(0).blocksChanged());
    assertEquals(6, r.get(1).blocksChanged());
    assertTrue(node0.manager.isPopulated(2 * G - 4 * GRAN, 4 * GRAN));
    assertTrue(node1.manager.isPopulated(0, 6 * GRAN));
    assertTrue(node1.kvm.isUniform(0, 6 * GRAN, true));
    assertEquals(10, node0.listener.view().cardinality() + node1.listener.view().cardinality());
  }

  @Test
  void aRefusalInTheSecondRegionLeavesTheFirstExactlyAsBefore() {
    long seed = 0x6d61_70L;
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int trial = 0; trial < 12; trial++) {
      Ram node0 = new Ram(4 * G, 256 * M, 0x7f00_0000_0000L);
      Ram node1 = new Ram(4 * G + 256 * M, 256 * M, 0x7f10_0000_0000L);
      GuestMemoryMap map = mapOf(node0, node1);
      for (int i = 0; i < 20; i++) { // a random mixture of shared and private runs in both
        long first = rnd.nextInt(256);
        long count = 1 + rnd.nextInt((int) Math.min(16, 256 - first));
        map.convert(4 * G + first * GRAN, count * GRAN, rnd.nextBoolean());
      }
      boolean toShared = rnd.nextBoolean();
      long start = 4 * G + rnd.nextInt(128) * GRAN;
      long end = 4 * G + 256 * M + (1 + rnd.nextInt(127)) * GRAN;
      String where = "seed " + seed + " trial " + trial + (toShared ? " share" : " private") + String.format(
          " [0x%x, 0x%x)", start, end);
      // Make sure the second region's part really changes something, then refuse it there.
      map.convert(end - GRAN, GRAN, !toShared);
      boolean byKvm = !toShared && trial % 2 == 0;
      FaultKind kind = FaultKind.values()[trial % 3];
      if (byKvm) {
        node1.pins.pin(0x7f10_0000_0000L + (end - GRAN - node1.gpa), 4096);
      } else {
        node1.listener.failOn(toShared ? RecordingListener.Kind.POPULATE : RecordingListener.Kind.DISCARD, 1)
            .failWith(kind);
      }
      String before0 = node0.snapshot();
      String before1 = node1.snapshot();
      Throwable thrown = assertThrows(Throwable.class, () -> map.convert(start, end - start, toShared), where);
      ConversionException e = byKvm ? (ConversionException) thrown : kind.expect(thrown, where);
      assertTrue(e.isConsistent(), where + ": " + List.of(e.getSuppressed()));
      if (byKvm) {
        MemoryAttributeException cause = (MemoryAttributeException) e.getCause();
        assertEquals(Errno.EAGAIN, cause.errnoConstant(), where);
      }
      assertEquals(before0, node0.snapshot(), where + ": the first region changed");
      assertEquals(before1, node1.snapshot(), where + ": the second region changed");
      node1.pins.unpinAll();
      node1.listener.heal();
      map.convert(start, end - start, toShared);
      assertTrue(node0.manager.isPopulated(start - node0.gpa, node0.gpa + 256 * M - start) == toShared, where);
    }
  }
}
