package org.guestmem.store.bitmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.guestmem.conformance.ModelStore;
import org.guestmem.conformance.StateStoreContract;
import org.guestmem.config.Providers;
import org.guestmem.spi.StateStore;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jol.info.GraphLayout;

/** What is particular to the bitmap: its exact memory, its discovery, its refusal of three states. */
class BitmapStoreTest {

  /** One bit per block, the summary (two bits per 128 blocks, two per 8,192), and constants. */
  static long expectedBytes(long blocks) {
    long words = (blocks + 63) / 64;
    long level1 = ((words + 1) / 2 + 63) / 64;
    long level2 = (level1 + 63) / 64;
    return 48 + 16 + 8 * words + 2 * (16 + 8 * level1) + 2 * (16 + 8 * level2);
  }

  @Test
  void memoryIsOneBitPerBlockPlusTheSummaryAndMatchesJol() {
    for (long blocks : new long[] {0, 1, 64, 65, 128, 129, 1 << 20, (1L << 20) + 3}) {
      StateStore s = new BitmapStoreProvider().create(blocks, 0);
      long jol = GraphLayout.parseInstance(s).totalSize();
      assertEquals(jol, s.memoryBytes(), "blocks=" + blocks);
      assertEquals(expectedBytes(blocks), s.memoryBytes(), "blocks=" + blocks);
    }
  }

  @Test
  void summaryCostsAtMostThreePercentOverOneBitPerBlock() {
    for (long blocks : new long[] {1 << 16, 1 << 22, 1L << 32}) {
      // Per block, not counting the five fixed array headers (80 bytes per store).
      double over = (double) (expectedBytes(blocks) - 48 - 5 * 16) / (blocks / 8) - 1;
      assertTrue(over <= 0.03, "blocks=" + blocks + " overhead " + over);
    }
    assertTrue((double) expectedBytes(1L << 22) / ((1L << 22) / 8) - 1 <= 0.03);
  }

  @Test
  void foundByServiceLoader() {
    assertTrue(Providers.stateStores().get("bitmap") instanceof BitmapStoreProvider);
  }

  @Test
  void sixteenTebibytesAtFourKibibytesFitsIn521Mebibytes() {
    long blocks = 1L << 32;
    StateStore s = new BitmapStoreProvider().create(blocks, 1);
    assertEquals(blocks, s.count(1));
    s.set(blocks - 65, blocks - 1, 0);
    assertEquals(blocks - 65, s.nextChange(0));
    assertEquals(expectedBytes(blocks), s.memoryBytes());
    assertTrue(s.memoryBytes() <= 521L << 20, "bytes " + s.memoryBytes());
    // Runs far apart are found through the summary, and both ends of each are exact.
    s.set(1L << 31, (1L << 31) + 1, 0);
    assertEquals(1L << 31, s.nextChange(0));
    assertEquals((1L << 31) + 1, s.nextChange(1L << 31));
    assertEquals(blocks - 65, s.nextChange((1L << 31) + 1));
    assertEquals(blocks - 1, s.nextChange(blocks - 65));
    assertTrue(s.isUniform((1L << 31) + 1, blocks - 65, 1));
  }

  /**
   * Long runs over spaces large enough for both summary levels, with word- and pair-aligned edges, against the
   * conformance kit's model: the summary must never let a scan skip a change.
   */
  @TestFactory
  Stream<DynamicTest> summaryNeverSkipsAChange() {
    long[] sizes = {129, 8192 * 64 + 1, (1L << 22) + 63, 1L << 24};
    String one = System.getProperty("guestmem.test.seed");
    LongStream seeds = one != null ? LongStream.of(Long.parseLong(one)) : LongStream.of(21, 22, 23);
    return seeds.boxed().flatMap(seed -> Arrays.stream(sizes).mapToObj(size ->
        DynamicTest.dynamicTest("seed " + seed + ", " + size + " blocks", () -> runRandom(seed, size))));
  }

  private static void runRandom(long seed, long size) {
    SplittableRandom rnd = new SplittableRandom(seed * 131 + size);
    StateStore s = new BitmapStoreProvider().create(size, (int) (seed & 1));
    ModelStore m = new ModelStore(size, 2, (int) (seed & 1));
    for (int op = 0; op < 3000; op++) {
      String where = "seed " + seed + ", size " + size + ", op " + op;
      long from = rnd.nextLong(size);
      if (rnd.nextBoolean()) {
        from &= -(64L << rnd.nextInt(8)); // word, pair and level-1 aligned edges
      }
      long to = switch (rnd.nextInt(3)) {
        case 0 -> from + 1 + rnd.nextInt(200);
        case 1 -> from + 1 + rnd.nextLong(size - from);
        default -> (from | ((64L << rnd.nextInt(14)) - 1)) + 1;
      };
      to = Math.min(size, to);
      int state = rnd.nextInt(2);
      s.set(from, to, state);
      m.set(from, to, state);
      long probe = rnd.nextLong(size);
      assertEquals(m.nextChange(probe), s.nextChange(probe), where + " nextChange(" + probe + ")");
      long limit = Math.min(size, probe + 1 + (rnd.nextBoolean() ? rnd.nextInt(20_000) : rnd.nextLong(size - probe)));
      assertEquals(Math.min(limit, m.nextChange(probe)), s.nextChange(probe, limit),
          where + " nextChange(" + probe + ", " + limit + ")");
      long qe = Math.min(size, probe + 1 + rnd.nextLong(size - probe));
      assertEquals(m.isUniform(probe, qe, state), s.isUniform(probe, qe, state), where + " isUniform");
      if (op % 100 == 0) {
        StateStoreContract.assertSameRuns(m, s, 0, size, where);
        assertEquals(m.count(1), s.count(1), where);
      }
    }
    StateStoreContract.assertSameRuns(m, s.copy(), 0, size, "seed " + seed + " copy");
  }
}
