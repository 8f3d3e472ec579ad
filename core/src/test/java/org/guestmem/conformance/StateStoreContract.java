package org.guestmem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.guestmem.spi.RunCursor;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The contract every {@link StateStore} meets. A back-end runs it by implementing {@link #provider()}:
 *
 * <pre>{@code
 * class MyStoreTest implements StateStoreContract {
 *   public StateStoreProvider provider() { return new MyStoreProvider(); }
 * }
 * }</pre>
 *
 * <p>Randomized cases compare the store with a per-block array after every operation, from fixed seeds; a failure
 * names its seed and operation number, and {@code -Dguestmem.test.seed=N} replays one seed.
 */
public interface StateStoreContract {

  /** The provider under test. */
  StateStoreProvider provider();

  /** Options for {@link StateStoreProvider#create}. */
  default Map<String, String> options() {
    return Map.of();
  }

  /** Operations per seed in the randomized cases (at least 10^4). */
  default int operationsPerSeed() {
    return 10_000;
  }

  private StateStore create(long blocks, int initial) {
    return provider().create(blocks, 2, initial, options());
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Fixed cases

  @Test
  default void newStoreHoldsItsInitialStateEverywhere() {
    for (int initial = 0; initial < 2; initial++) {
      StateStore s = create(1000, initial);
      assertEquals(1000, s.blocks());
      assertTrue(s.states() >= 2);
      assertTrue(s.isUniform(0, 1000, initial));
      assertFalse(s.isUniform(0, 1000, 1 - initial));
      assertEquals(1000, s.count(initial));
      assertEquals(0, s.count(1 - initial));
      assertEquals(1000, s.nextChange(0));
      assertRuns(s, 0, 1000, 0, 1000, initial);
    }
  }

  @Test
  default void emptyStoreHasNoBlocks() {
    StateStore s = create(0, 0);
    assertEquals(0, s.blocks());
    assertTrue(s.isUniform(0, 0, 1));
    assertFalse(s.runs(0, 0).next());
    assertEquals(0, s.count(0));
  }

  @Test
  default void providerRejectsBadArgumentsNamingThem() {
    StateStoreProvider p = provider();
    assertRejectedNaming("-1", () -> p.create(-1, 2, 0, options()));
    assertRejectedNaming("2", () -> p.create(10, 2, 2, options()));
    assertRejectedNaming("-1", () -> p.create(10, 2, -1, options()));
    assertRejectedNaming("1", () -> p.create(10, 1, 0, options()));
    int tooMany = p.maxStates() + 1;
    assertRejectedNaming(String.valueOf(tooMany), () -> p.create(10, tooMany, 0, options()));
    String unknown = "no-such-option-" + p.name();
    assertRejectedNaming(unknown, () -> p.create(10, 2, 0, Map.of(unknown, "1")));
  }

  private static void assertRejectedNaming(String value, Executable call) {
    String message = assertThrows(IllegalArgumentException.class, call).getMessage();
    assertTrue(message != null && message.contains(value), "message does not name " + value + ": " + message);
  }

  @Test
  default void badArgumentsAreRejectedAndChangeNothing() {
    StateStore s = create(100, 0);
    s.set(10, 20, 1);
    StateStore before = s.copy();
    assertThrows(IllegalArgumentException.class, () -> s.set(-1, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> s.set(5, 101, 1));
    assertThrows(IllegalArgumentException.class, () -> s.set(50, 40, 1));
    assertThrows(IllegalArgumentException.class, () -> s.set(0, 100, 2));
    assertThrows(IllegalArgumentException.class, () -> s.set(0, 100, -1));
    assertThrows(IllegalArgumentException.class, () -> s.get(100));
    assertThrows(IllegalArgumentException.class, () -> s.get(-1));
    assertThrows(IllegalArgumentException.class, () -> s.nextChange(100));
    assertThrows(IllegalArgumentException.class, () -> s.nextChange(5, 5));
    assertThrows(IllegalArgumentException.class, () -> s.nextChange(5, 101));
    assertThrows(IllegalArgumentException.class, () -> s.isUniform(0, 101, 0));
    assertThrows(IllegalArgumentException.class, () -> s.runs(20, 10));
    assertSameContent(before, s, "after rejected calls");
  }

  @Test
  default void firstAndLastBlockAndLengthOneRanges() {
    for (long blocks : new long[] {1, 2, 63, 64, 65, 127, 128, 129, 4097}) {
      StateStore s = create(blocks, 0);
      s.set(0, 1, 1);
      assertEquals(1, s.get(0));
      assertEquals(1, s.nextChange(0));
      s.set(blocks - 1, blocks, 1);
      assertEquals(1, s.get(blocks - 1));
      assertEquals(blocks == 1 ? 1 : 2, s.count(1), "blocks=" + blocks);
      assertEquals(blocks, s.nextChange(blocks - 1));
      s.set(0, blocks, 0);
      assertTrue(s.isUniform(0, blocks, 0));
      assertEquals(0, s.count(1));
    }
  }

  @Test
  default void wholeRangeRoundTrip() {
    StateStore s = create(10_000, 0);
    s.set(0, 10_000, 1);
    assertTrue(s.isUniform(0, 10_000, 1));
    assertEquals(10_000, s.count(1));
    assertRuns(s, 0, 10_000, 0, 10_000, 1);
    s.set(0, 10_000, 0);
    assertTrue(s.isUniform(0, 10_000, 0));
  }

  @Test
  default void emptyRangeIsANoOp() {
    StateStore s = create(100, 0);
    s.set(50, 50, 1);
    assertEquals(0, s.count(1));
    assertTrue(s.isUniform(30, 30, 1));
    assertFalse(s.runs(30, 30).next());
  }

  @Test
  default void runsAreMaximalAndClipped() {
    StateStore s = create(300, 0);
    s.set(10, 70, 1);
    s.set(70, 130, 1); // touching the previous run: one maximal run [10, 130)
    s.set(200, 201, 1);
    RunCursor c = s.runs(5, 250);
    long[][] expected = {{5, 10, 0}, {10, 130, 1}, {130, 200, 0}, {200, 201, 1}, {201, 250, 0}};
    for (long[] e : expected) {
      assertTrue(c.next());
      assertEquals(e[0], c.start());
      assertEquals(e[1], c.end());
      assertEquals(e[2], c.state());
    }
    assertFalse(c.next());
    assertEquals(130, s.nextChange(10));
    assertEquals(50, s.nextChange(10, 50), "bounded: stops at the limit inside a run");
    assertEquals(130, s.nextChange(10, 131));
    assertEquals(11, s.nextChange(10, 11));
    assertEquals(130, s.nextChange(129));
    assertEquals(200, s.nextChange(130));
    assertEquals(201, s.nextChange(200));
    assertEquals(300, s.nextChange(201));
  }

  @Test
  default void copyIsIndependent() {
    StateStore s = create(1000, 0);
    s.set(100, 200, 1);
    StateStore c = s.copy();
    s.set(150, 400, 0);
    c.set(500, 600, 1);
    assertEquals(1, c.get(150));
    assertEquals(0, s.get(150));
    assertEquals(0, s.get(550));
    assertEquals(1, c.get(550));
    assertEquals(200, c.count(1));
    assertEquals(50, s.count(1));
  }

  @Test
  default void memoryBytesIsPositiveAndGrowsWithContent() {
    StateStore s = create(1 << 20, 0);
    long empty = s.memoryBytes();
    assertTrue(empty > 0);
    for (long b = 0; b < (1 << 20); b += 64) {
      s.set(b, b + 1, 1);
    }
    assertTrue(s.memoryBytes() >= empty, "memory must not shrink as runs are added");
  }

  /**
   * A 2<sup>33</sup>-block space (32 TiB at 4 KiB): indices past 2<sup>32</sup> work, compared with the run model.
   */
  @Test
  default void sparseRegionBeyond32BitIndices() {
    long blocks = 1L << 33;
    StateStore s = create(blocks, 0);
    ModelStore m = new ModelStore(blocks, 2, 0);
    long[][] ops = {
        {0, 1, 1}, {blocks - 1, blocks, 1}, {(1L << 32) - 3, (1L << 32) + 5, 1}, {(1L << 32), (1L << 32) + 1, 0},
        {(1L << 32) + 64, (1L << 32) + 64 * 1000 + 7, 1}, {(3L << 31), blocks - 100, 1}, {(3L << 31) + 1, (3L << 31) + 2, 0}
    };
    for (long[] op : ops) {
      s.set(op[0], op[1], (int) op[2]);
      m.set(op[0], op[1], (int) op[2]);
    }
    assertSameRuns(m, s, 0, blocks, "sparse 2^33");
    assertEquals(m.count(1), s.count(1));
    assertEquals((1L << 32) + 5, s.nextChange((1L << 32) + 1));
    assertTrue(s.isUniform((3L << 31) + 2, blocks - 100, 1));
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Randomized cases against a per-block array

  @TestFactory
  default Stream<DynamicTest> randomOperationsAgreeWithPerBlockModel() {
    long[] sizes = {1, 64, 65, 200, 1000, 4096 + 17};
    return seeds().boxed().flatMap(seed -> Arrays.stream(sizes).mapToObj(size ->
        DynamicTest.dynamicTest("seed " + seed + ", " + size + " blocks",
            () -> runRandom(seed, size))));
  }

  /** The seeds of the randomized cases; {@code -Dguestmem.test.seed=N} runs only N. */
  static LongStream seeds() {
    String one = System.getProperty("guestmem.test.seed");
    if (one != null) {
      return LongStream.of(Long.parseLong(one));
    }
    return LongStream.of(1, 2, 3, 0x5eed, 0xc0ffee);
  }

  private void runRandom(long seed, long size) {
    SplittableRandom rnd = new SplittableRandom(seed ^ size * 0x9E3779B97F4A7C15L);
    byte[] model = new byte[(int) size];
    StateStore s = create(size, 0);
    int ops = Math.max(10_000, operationsPerSeed());
    for (int op = 0; op < ops; op++) {
      String where = "seed " + seed + ", size " + size + ", op " + op;
      long[] range = randomRange(rnd, size);
      long from = range[0];
      long to = range[1];
      int kind = rnd.nextInt(10);
      if (kind < 5) {
        int state = rnd.nextInt(2);
        s.set(from, to, state);
        Arrays.fill(model, (int) from, (int) to, (byte) state);
      } else if (kind < 7) {
        int state = rnd.nextInt(2);
        assertEquals(uniform(model, from, to, state), s.isUniform(from, to, state), where + " isUniform");
      } else if (kind < 8) {
        long i = rnd.nextLong(size);
        assertEquals(model[(int) i], s.get(i), where + " get(" + i + ")");
        assertEquals(nextChange(model, i), s.nextChange(i), where + " nextChange(" + i + ")");
        long limit = i + 1 + rnd.nextLong(size - i);
        assertEquals(Math.min(limit, nextChange(model, i)), s.nextChange(i, limit),
            where + " nextChange(" + i + ", " + limit + ")");
      } else {
        assertRunsMatchModel(model, s, from, to, where);
      }
      if (op % 500 == 0 || op == ops - 1) {
        assertRunsMatchModel(model, s, 0, size, where + " (full)");
        assertEquals(countOnes(model), s.count(1), where + " count(1)");
        assertEquals(size - countOnes(model), s.count(0), where + " count(0)");
      }
    }
    StateStore copy = s.copy();
    assertRunsMatchModel(model, copy, 0, size, "seed " + seed + " copy");
  }

  /** Ranges biased to the edges: at 0, at the end, length 1, the whole space, word boundaries, or random. */
  private static long[] randomRange(SplittableRandom rnd, long size) {
    long from;
    long to;
    switch (rnd.nextInt(8)) {
      case 0 -> {
        from = 0;
        to = 1 + rnd.nextLong(size);
      }
      case 1 -> {
        from = rnd.nextLong(size);
        to = size;
      }
      case 2 -> {
        from = rnd.nextLong(size);
        to = from + 1;
      }
      case 3 -> {
        from = 0;
        to = size;
      }
      case 4 -> {
        from = Math.min(size - 1, (rnd.nextLong(size) / 64) * 64);
        to = Math.min(size, from + 64L * (1 + rnd.nextInt(3)));
      }
      default -> {
        from = rnd.nextLong(size);
        to = from + 1 + rnd.nextLong(Math.min(size - from, 1 + rnd.nextInt(300)));
      }
    }
    return new long[] {from, Math.min(to, size)};
  }

  private static boolean uniform(byte[] model, long from, long to, int state) {
    for (long i = from; i < to; i++) {
      if (model[(int) i] != state) {
        return false;
      }
    }
    return true;
  }

  private static long nextChange(byte[] model, long i) {
    long j = i + 1;
    while (j < model.length && model[(int) j] == model[(int) i]) {
      j++;
    }
    return j;
  }

  private static long countOnes(byte[] model) {
    long n = 0;
    for (byte b : model) {
      n += b;
    }
    return n;
  }

  private static void assertRunsMatchModel(byte[] model, StateStore s, long from, long to, String where) {
    RunCursor c = s.runs(from, to);
    long expectStart = from;
    while (expectStart < to) {
      long expectEnd = Math.min(to, nextChange(model, expectStart));
      assertTrue(c.next(), where + ": missing run at " + expectStart);
      assertEquals(expectStart, c.start(), where + ": run start");
      assertEquals(expectEnd, c.end(), where + ": run end from " + expectStart);
      assertEquals(model[(int) expectStart], c.state(), where + ": run state at " + expectStart);
      expectStart = expectEnd;
    }
    assertFalse(c.next(), where + ": extra run after " + to);
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Helpers shared with other contracts

  /** Asserts that {@code [from, to)} of {@code s} is exactly one run of {@code state}. */
  static void assertRuns(StateStore s, long from, long to, long runStart, long runEnd, int state) {
    RunCursor c = s.runs(from, to);
    assertTrue(c.next());
    assertEquals(runStart, c.start());
    assertEquals(runEnd, c.end());
    assertEquals(state, c.state());
    assertFalse(c.next());
  }

  /** Asserts that two stores hold the same runs over {@code [from, to)}. */
  static void assertSameRuns(StateStore expected, StateStore actual, long from, long to, String where) {
    RunCursor e = expected.runs(from, to);
    RunCursor a = actual.runs(from, to);
    int n = 0;
    while (e.next()) {
      assertTrue(a.next(), where + ": run " + n + " missing");
      String run = where + ": run " + n;
      assertEquals(e.start(), a.start(), run + " start");
      assertEquals(e.end(), a.end(), run + " end");
      assertEquals(e.state(), a.state(), run + " state");
      n++;
    }
    assertFalse(a.next(), where + ": extra runs");
  }

  /** Asserts that two stores hold the same content everywhere. */
  static void assertSameContent(StateStore expected, StateStore actual, String where) {
    assertEquals(expected.blocks(), actual.blocks(), where + ": blocks");
    assertSameRuns(expected, actual, 0, expected.blocks(), where);
  }
}
