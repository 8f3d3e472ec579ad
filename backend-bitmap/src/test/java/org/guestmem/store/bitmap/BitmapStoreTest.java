package org.guestmem.store.bitmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.guestmem.config.Providers;
import org.guestmem.spi.StateStore;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** What is particular to the bitmap: its exact memory, its discovery, its refusal of three states. */
class BitmapStoreTest {

  @Test
  void memoryIsOneBitPerBlockPlusAConstantAndMatchesJol() {
    for (long blocks : new long[] {0, 1, 64, 65, 1 << 20, (1L << 20) + 3}) {
      StateStore s = new BitmapStoreProvider().create(blocks, 0);
      long jol = GraphLayout.parseInstance(s).totalSize();
      assertEquals(jol, s.memoryBytes(), "blocks=" + blocks);
      assertEquals(8 * ((blocks + 63) / 64) + 48, s.memoryBytes(), "blocks=" + blocks);
    }
  }

  @Test
  void foundByServiceLoader() {
    assertTrue(Providers.stateStores().get("bitmap") instanceof BitmapStoreProvider);
  }

  @Test
  void refusesMoreThanTwoStatesAndOptions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new BitmapStoreProvider().create(10, 3, 0, Map.of()));
    assertTrue(e.getMessage().contains("3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BitmapStoreProvider().create(10, 2, 0, Map.of("x", "y")));
  }

  @Test
  void sixteenTebibytesAtFourKibibytesFitsIn512Mebibytes() {
    long blocks = 1L << 32;
    StateStore s = new BitmapStoreProvider().create(blocks, 1);
    assertEquals(blocks, s.count(1));
    s.set(blocks - 65, blocks - 1, 0);
    assertEquals(blocks - 65, s.nextChange(0));
    assertEquals((1L << 29) + 48, s.memoryBytes());
  }
}
