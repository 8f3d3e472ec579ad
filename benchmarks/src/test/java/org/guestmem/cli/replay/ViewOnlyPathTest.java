package org.guestmem.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ViewOnlyPathTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 1234})
  void theViewMatchesAPerBlockModelUnderRandomPopulateAndDiscard(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    ViewOnlyPath path = new ViewOnlyPath();
    BitSet model = new BitSet();
    for (int step = 0; step < 5_000; step++) {
      int from = r.nextInt(256);
      int to = from + 1 + r.nextInt(16);
      if (r.nextBoolean()) {
        path.listener().populate(from * 4096L, (to - from) * 4096L);
        model.set(from, to);
      } else {
        path.listener().discard(from * 4096L, (to - from) * 4096L);
        model.clear(from, to);
      }
      List<long[]> held = path.held();
      int runs = 0;
      for (int i = model.nextSetBit(0); i >= 0; i = model.nextSetBit(model.nextClearBit(i))) {
        long[] h = held.get(runs++);
        assertEquals(i * 4096L, h[0], "seed " + seed + " step " + step);
        assertEquals(model.nextClearBit(i) * 4096L, h[1], "seed " + seed + " step " + step);
      }
      assertEquals(runs, held.size(), "seed " + seed + " step " + step);
    }
  }

  @Test
  void verifyNamesAStaleOrAMissingRun() {
    AttributeManager region = AttributeManager.builder().layout(RegionLayout.of(1 << 24, 4096))
        .store(new ModelStoreProvider()).build();
    ViewOnlyPath path = new ViewOnlyPath();
    path.attach(region);
    region.share(0x10000, 0x2000);
    path.verify(region);
    path.listener().populate(0x40000, 0x1000); // a mapping the region does not know: stale
    InvariantViolation v = assertThrows(InvariantViolation.class, () -> path.verify(region));
    assertTrue(v.getMessage().contains("[0x40000, 0x41000), which is not populated"), v.getMessage());
    path.listener().discard(0x40000, 0x1000);
    path.listener().discard(0x10000, 0x1000); // a populated page the device cannot reach
    v = assertThrows(InvariantViolation.class, () -> path.verify(region));
    assertTrue(v.getMessage().contains("populated run [0x10000, 0x12000) but the listener holds [0x11000, 0x12000)"),
        v.getMessage());
  }

  @Test
  void theRangeCheckSeesWhatIsInItsRangeAndAGranuleEitherSide() {
    AttributeManager region = AttributeManager.builder().layout(RegionLayout.of(1 << 24, 4096))
        .store(new ModelStoreProvider()).build();
    ViewOnlyPath path = new ViewOnlyPath();
    path.attach(region);
    region.share(0x10000, 0x4000);
    path.verify(region, 0x11000, 0x1000); // inside a run: both sides clipped alike
    path.listener().populate(0x40000, 0x1000); // stale
    InvariantViolation v = assertThrows(InvariantViolation.class, () -> path.verify(region, 0x40000, 0x1000));
    assertTrue(v.getMessage().contains("[0x40000, 0x41000), which is not populated"), v.getMessage());
    assertThrows(InvariantViolation.class, () -> path.verify(region, 0x41000, 0x1000), "the granule before");
    path.verify(region, 0x10000, 0x4000); // elsewhere: not looked at
    path.listener().discard(0x40000, 0x1000);
    path.listener().discard(0x12000, 0x1000); // a populated page the device cannot reach
    v = assertThrows(InvariantViolation.class, () -> path.verify(region, 0x12000, 0x1000));
    assertTrue(v.getMessage().contains("populated run [0x11000, 0x14000) but the listener holds [0x11000, 0x12000)"),
        v.getMessage());
    path.verify(region, 0x30000, 0x1000);
  }
}
