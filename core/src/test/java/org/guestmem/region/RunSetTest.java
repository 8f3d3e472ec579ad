package org.guestmem.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RunSetTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {3, 11, 2026})
  void theRunsAreTheMaximalRunsOfAPerByteModel(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    RunSet set = new RunSet();
    BitSet model = new BitSet();
    for (int step = 0; step < 4_000; step++) {
      int from = r.nextInt(300);
      int to = from + 1 + r.nextInt(24);
      if (r.nextBoolean()) {
        set.add(from, to);
        model.set(from, to);
      } else {
        set.remove(from, to);
        model.clear(from, to);
      }
      String where = "seed " + seed + " step " + step;
      int runs = 0;
      var it = set.asMap().entrySet().iterator();
      for (int i = model.nextSetBit(0); i >= 0; i = model.nextSetBit(model.nextClearBit(i))) {
        Map.Entry<Long, Long> e = it.next();
        assertEquals(i, e.getKey(), where);
        assertEquals(model.nextClearBit(i), e.getValue(), where);
        runs++;
      }
      assertEquals(runs, set.size(), where);
      int a = r.nextInt(330);
      int b = a + 1 + r.nextInt(24);
      assertEquals(model.get(a, b).cardinality() == b - a, set.containsAll(a, b), where + " all of " + a + ".." + b);
      assertEquals(model.get(a, b).isEmpty(), set.containsNone(a, b), where + " none of " + a + ".." + b);
    }
  }

  @Test
  void touchingRunsMergeAndACutInsideARunLeavesTwo() {
    RunSet set = new RunSet();
    set.add(0x1000, 0x2000);
    set.add(0x2000, 0x3000);
    assertEquals("[[0x1000, 0x3000)]", set.toString());
    set.remove(0x1800, 0x2800);
    assertEquals("[[0x1000, 0x1800), [0x2800, 0x3000)]", set.toString());
    set.clear();
    assertEquals(0, set.size());
  }

  @Test
  void anEmptyOrNegativeRangeIsRefusedNamingIt() {
    RunSet set = new RunSet();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> set.add(0x2000, 0x2000));
    assertTrue(e.getMessage().contains("run [0x2000, 0x2000) must be non-empty"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> set.remove(-4096, 0));
    assertTrue(e.getMessage().contains("start at or above 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> set.containsAll(5, 4));
    assertEquals(0, set.size(), "a refused call changes nothing");
  }
}
