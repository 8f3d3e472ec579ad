package org.guestmem.store.intervaltree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.guestmem.config.Providers;
import org.guestmem.conformance.ModelStore;
import org.guestmem.conformance.StateStoreContract;
import org.guestmem.spi.StateStore;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jol.info.GraphLayout;

/**
 * What is particular to the packed-run store: leaves that switch between runs and bitmaps with density, memory that
 * follows the runs (checked against JOL), and large block spaces, each compared with the conformance kit's
 * {@link ModelStore}.
 */
class PackedRunStoreTest {
  private static final long CHUNK = LeafLayout.CHUNK;

  private static PackedRunStateStore create(long blocks, int initial) {
    return (PackedRunStateStore) new PackedRunStoreProvider().create(blocks, initial);
  }

  @Test
  void foundByServiceLoader() {
    assertTrue(Providers.stateStores().get("intervaltree") instanceof PackedRunStoreProvider);
  }

  @Test
  void denseChunkBecomesABitmapLeafAndTurnsBackIntoRunsWhenCleared() {
    PackedRunStateStore s = create(1 << 20, 0);
    ModelStore m = new ModelStore(1 << 20, 2, 0);
    long base = 5 * CHUNK;
    for (long b = base; b < base + 3 * CHUNK; b += 2) {
      s.set(b, b + 1, 1);
      m.set(b, b + 1, 1);
    }
    assertTrue(s.bitmapLeafCount() >= 2, s.toString());
    StateStoreContract.assertSameRuns(m, s, 0, 1 << 20, "checkerboard");
    assertEquals(m.count(1), s.count(1));
    assertJol(s);
    // Clearing most of the flips returns the chunks to run leaves (and merges them).
    s.set(base + 10, base + 3 * CHUNK - 10, 0);
    m.set(base + 10, base + 3 * CHUNK - 10, 0);
    assertEquals(0, s.bitmapLeafCount(), s.toString());
    assertTrue(s.leafCount() <= 2, s.toString());
    StateStoreContract.assertSameRuns(m, s, 0, 1 << 20, "cleared");
    assertJol(s);
  }

  @Test
  void memoryMatchesJolInEveryShape() {
    assertJol(create(0, 0));
    assertJol(create(1, 1));
    PackedRunStateStore s = create(1L << 32, 0);
    assertJol(s);
    SplittableRandom rnd = new SplittableRandom(7);
    for (int i = 0; i < 20_000; i++) {
      long from = rnd.nextLong(1L << 32);
      s.set(from, Math.min(1L << 32, from + 1 + rnd.nextInt(512)), rnd.nextInt(2));
    }
    assertJol(s);
    for (long b = 0; b < 8 * CHUNK; b += 3) {
      s.set(b, b + 1, 1);
    }
    assertTrue(s.bitmapLeafCount() > 0);
    assertJol(s);
    assertJol(s.copy());
  }

  /** The sparse data set of the store benchmarks: runs alternating at random boundaries over 2^32 blocks. */
  @Test
  void sparseRunsCostAtMostFourBytesEach() {
    long blocks = 1L << 32;
    int runs = 100_000;
    long[] cuts = randomCuts(new SplittableRandom(42), blocks, runs - 1);
    PackedRunStateStore s = create(blocks, 0);
    ModelStore m = new ModelStore(blocks, 2, 0);
    for (int i = 0; i < cuts.length; i += 2) {
      long to = i + 1 < cuts.length ? cuts[i + 1] : blocks;
      s.set(cuts[i], to, 1);
      m.set(cuts[i], to, 1);
    }
    StateStoreContract.assertSameRuns(m, s, 0, blocks, "sparse");
    long jol = assertJol(s);
    assertTrue(jol <= 4L * runs, "bytes per run " + (double) jol / runs);
  }

  /** The dense data set of the store benchmarks: 2^22 blocks, each shared with p = 0.5. */
  @Test
  void denseRandomBlocksCostAtMostTwiceAFlatBitmap() {
    long blocks = 1L << 22;
    PackedRunStateStore s = create(blocks, 0);
    SplittableRandom rnd = new SplittableRandom(3);
    byte[] model = new byte[(int) blocks];
    for (int b = 0; b < blocks; b++) {
      if (rnd.nextBoolean()) {
        s.set(b, b + 1, 1);
        model[b] = 1;
      }
    }
    long jol = assertJol(s);
    assertTrue(jol <= 2 * (blocks / 8), "dense store is " + jol + " bytes, flat bitmap " + blocks / 8);
    long ones = 0;
    for (int b = 0; b < blocks; b += 997) {
      assertEquals(model[b], s.get(b), "block " + b);
    }
    for (byte v : model) {
      ones += v;
    }
    assertEquals(ones, s.count(1));
  }

  @Test
  void sparseRegionFarBeyond32BitIndicesWithDenseChunksAtTheEnd() {
    long blocks = (1L << 45) + 5 * CHUNK + 17;
    PackedRunStateStore s = create(blocks, 1);
    ModelStore m = new ModelStore(blocks, 2, 1);
    long dense = (1L << 45) + CHUNK;
    for (long b = dense; b < dense + 2 * CHUNK; b += 3) {
      s.set(b, b + 2, 0);
      m.set(b, b + 2, 0);
    }
    s.set(blocks - 9, blocks, 0);
    m.set(blocks - 9, blocks, 0);
    s.set(1L << 33, (1L << 40) + 3, 0);
    m.set(1L << 33, (1L << 40) + 3, 0);
    assertTrue(s.bitmapLeafCount() >= 1, s.toString());
    StateStoreContract.assertSameRuns(m, s, 0, blocks, "2^45");
    assertEquals(m.count(0), s.count(0));
    assertEquals((1L << 40) + 3, s.nextChange(1L << 33));
    assertEquals(m.nextChange(dense + 1), s.nextChange(dense + 1));
    assertJol(s);
  }

  @TestFactory
  Stream<DynamicTest> randomOperationsWithDensePhasesAgreeWithTheModel() {
    long[] sizes = {3 * CHUNK + 5, 1 << 16, (1L << 34) + 77};
    return seeds().boxed().flatMap(seed -> Arrays.stream(sizes).mapToObj(size ->
        DynamicTest.dynamicTest("seed " + seed + ", " + size + " blocks", () -> runRandom(seed, size))));
  }

  private static LongStream seeds() {
    String one = System.getProperty("guestmem.test.seed");
    return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.of(11, 12, 13, 0xbeef);
  }

  /**
   * Alternates phases: dense (short ranges inside a few chunks, so chunks become bitmaps), sparse (ranges
   * anywhere) and clearing (long ranges, so bitmaps go back to runs and leaves merge).
   */
  private static void runRandom(long seed, long size) {
    SplittableRandom rnd = new SplittableRandom(seed * 31 + size);
    PackedRunStateStore s = create(size, (int) (seed & 1));
    ModelStore m = new ModelStore(size, 2, (int) (seed & 1));
    boolean sawBitmap = false;
    for (int op = 0; op < 12_000; op++) {
      String where = "seed " + seed + ", size " + size + ", op " + op;
      int phase = (op / 1500) % 3;
      long from;
      long to;
      if (phase == 0) {
        long window = Math.min(size, 4 * CHUNK);
        long base = (seed * 7919 * CHUNK) % (size - window + 1);
        from = base + rnd.nextLong(window);
        to = Math.min(size, from + 1 + rnd.nextInt(4));
      } else if (phase == 1) {
        from = rnd.nextLong(size);
        to = Math.min(size, from + 1 + rnd.nextLong(Math.min(size - from, 1 + rnd.nextInt(5000))));
      } else {
        from = rnd.nextLong(size);
        to = Math.min(size, from + 1 + rnd.nextLong(size - from));
        if (rnd.nextInt(4) != 0) {
          to = Math.min(size, from + 1 + rnd.nextInt(3 * (int) CHUNK));
        }
      }
      int state = rnd.nextInt(2);
      s.set(from, to, state);
      m.set(from, to, state);
      sawBitmap |= s.bitmapLeafCount() > 0;
      long probe = rnd.nextLong(size);
      assertEquals(m.get(probe), s.get(probe), where + " get(" + probe + ")");
      assertEquals(m.nextChange(probe), s.nextChange(probe), where + " nextChange(" + probe + ")");
      long q = rnd.nextLong(size);
      long qe = Math.min(size, q + 1 + rnd.nextInt(600));
      assertEquals(m.isUniform(q, qe, state), s.isUniform(q, qe, state), where + " isUniform");
      StateStoreContract.assertSameRuns(m, s, q, qe, where + " window");
      if (op % 250 == 0) {
        StateStoreContract.assertSameRuns(m, s, 0, size, where + " (full)");
        assertEquals(m.count(1), s.count(1), where + " count(1)");
      }
    }
    StateStoreContract.assertSameRuns(m, s, 0, size, "seed " + seed + " end");
    StateStoreContract.assertSameRuns(m, s.copy(), 0, size, "seed " + seed + " copy");
    assertTrue(sawBitmap, "seed " + seed + ": the dense phases never produced a bitmap leaf");
    assertJol(s);
  }

  @TestFactory
  Stream<DynamicTest> singleBlockFlipsAgreeWithTheModel() {
    long[] sizes = {3 * CHUNK + 5, 1 << 16, 1L << 32, 1L << 44}; // the last: offsets over 32 bits
    return seeds().boxed().flatMap(seed -> Arrays.stream(sizes).mapToObj(size ->
        DynamicTest.dynamicTest("seed " + seed + ", " + size + " blocks", () -> runFlips(seed, size))));
  }

  /**
   * Single-block sets as the attribute manager issues them (mostly a get of the block first, sometimes not, and
   * sometimes to the state it already has, sometimes flipped straight back), over sparse runs, leaf edges and chunks
   * dense enough to be bitmaps, so that the in-place paths meet every neighbour case: flips inserted, removed and
   * moved by one block.
   */
  private static void runFlips(long seed, long size) {
    SplittableRandom rnd = new SplittableRandom(seed * 131 + size);
    PackedRunStateStore s = create(size, (int) (seed & 1));
    ModelStore m = new ModelStore(size, 2, (int) (seed & 1));
    long[] cuts = randomCuts(rnd, size, (int) Math.min(size / 4, 3000));
    for (int i = 0; i < cuts.length; i += 2) {
      long to = i + 1 < cuts.length ? cuts[i + 1] : size;
      s.set(cuts[i], to, 1);
      m.set(cuts[i], to, 1);
    }
    long hot = rnd.nextLong(size - 2 * CHUNK);
    boolean sawBitmap = false;
    for (int op = 0; op < 40_000; op++) {
      String where = "seed " + seed + ", size " + size + ", op " + op;
      long p;
      int kind = rnd.nextInt(4);
      if (kind == 0) {
        p = hot + rnd.nextLong(2 * CHUNK); // dense: the chunks become bitmaps and back
      } else if (kind == 1) {
        long c = cuts[rnd.nextInt(cuts.length)] + rnd.nextInt(5) - 2; // next to an existing flip
        p = Math.max(0, Math.min(size - 1, c));
      } else {
        p = rnd.nextLong(size);
      }
      int state;
      if (rnd.nextInt(5) == 0) {
        state = rnd.nextInt(2);
      } else {
        int seen = s.get(p);
        assertEquals(m.get(p), seen, where + " get(" + p + ")");
        state = rnd.nextInt(8) == 0 ? seen : 1 - seen;
      }
      s.set(p, p + 1, state);
      m.set(p, p + 1, state);
      assertEquals(state, s.get(p), where + " get(" + p + ") after the set");
      if (rnd.nextInt(3) == 0) {
        // Back at once, as the flip benchmark does: the set and the gets reuse the rank the first set left.
        s.set(p, p + 1, 1 - state);
        m.set(p, p + 1, 1 - state);
        assertEquals(1 - state, s.get(p), where + " get(" + p + ") after flipping it back");
        assertEquals(m.nextChange(p), s.nextChange(p), where + " nextChange(" + p + ") after flipping it back");
      }
      sawBitmap |= s.bitmapLeafCount() > 0;
      long q = Math.max(0, p - 300);
      StateStoreContract.assertSameRuns(m, s, q, Math.min(size, p + 300), where + " around " + p);
      if (op % 2000 == 0) {
        StateStoreContract.assertSameRuns(m, s, 0, size, where + " (full)");
        assertEquals(m.count(1), s.count(1), where + " count(1)");
        assertJol(s);
      }
    }
    StateStoreContract.assertSameRuns(m, s, 0, size, "seed " + seed + " end");
    assertEquals(m.count(1), s.count(1), "seed " + seed + " count(1)");
    assertTrue(sawBitmap, "seed " + seed + ": the hot chunks never became a bitmap leaf");
    assertJol(s);
  }

  static long[] randomCuts(SplittableRandom rnd, long blocks, int n) {
    long[] cuts = new long[n];
    for (int i = 0; i < n; i++) {
      cuts[i] = 1 + rnd.nextLong(blocks - 1);
    }
    Arrays.sort(cuts);
    return Arrays.stream(cuts).distinct().toArray();
  }

  private static long assertJol(StateStore s) {
    long jol = GraphLayout.parseInstance(s).totalSize();
    assertEquals(jol, s.memoryBytes(), s.toString());
    return jol;
  }
}
