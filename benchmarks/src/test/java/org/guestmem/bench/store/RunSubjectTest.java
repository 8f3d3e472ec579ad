package org.guestmem.bench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every subject the store benchmark times answers like a per-block array: the same runs, the same checksums from
 * {@code visit} and {@code iterate} (including wrapping around to block 0), so the timings compare equal work.
 * The sorted-array baseline keeps block 0 private, as every {@link DataSet} does; the others are tested with it shared.
 */
class RunSubjectTest {
  private static final List<String> SUBJECTS =
      List.of("bitmap", "intervaltree", "treemap", "rangeset", "roaring", "sorted-array");
  private static final int BLOCKS = 5_000;

  /** The oracle: the interface's own visit and iterate over a per-block array. */
  private static final class ArraySubject implements RunSubject {
    private final byte[] state = new byte[BLOCKS];

    @Override
    public long blocks() {
      return BLOCKS;
    }

    @Override
    public void set(long from, long to, int s) {
      for (long b = from; b < to; b++) {
        state[(int) b] = (byte) s;
      }
    }

    @Override
    public int get(long block) {
      return state[(int) block];
    }

    @Override
    public long nextChange(long block) {
      long b = block + 1;
      while (b < BLOCKS && state[(int) b] == state[(int) block]) {
        b++;
      }
      return b;
    }

    @Override
    public Object retained() {
      return state;
    }
  }

  @TestFactory
  Stream<DynamicTest> everySubjectAgreesWithAPerBlockArray() {
    return SUBJECTS.stream().flatMap(name -> Stream.of(
        DynamicTest.dynamicTest(name + ", all private", () -> compare(name, 0)),
        DynamicTest.dynamicTest(name + ", shared at both ends", () -> compare(name, -1)),
        DynamicTest.dynamicTest(name + ", 40 random sets", () -> compare(name, 40)),
        DynamicTest.dynamicTest(name + ", 400 random sets", () -> compare(name, 400))));
  }

  /** Applies the same sets to the subject and the array ({@code -1}: the first and last 10 blocks shared). */
  private static void compare(String name, int sets) {
    long first = name.equals("sorted-array") ? 1 : 0;
    RunSubject subject = RunSubject.create(name, BLOCKS);
    ArraySubject model = new ArraySubject();
    SplittableRandom rnd = new SplittableRandom(sets * 31L + 7);
    if (sets < 0) {
      for (RunSubject s : List.of(subject, model)) {
        s.set(first, first + 10, 1);
        s.set(BLOCKS - 10, BLOCKS, 1);
      }
    }
    for (int i = 0; i < sets; i++) {
      long from = first + rnd.nextLong(BLOCKS - first);
      long to = from + 1 + rnd.nextLong(Math.min(200, BLOCKS - from));
      int state = rnd.nextInt(2);
      subject.set(from, to, state);
      model.set(from, to, state);
    }
    int runs = 0;
    for (long p = 0; p < BLOCKS; p = model.nextChange(p)) {
      runs++;
    }
    for (int i = 0; i < 300; i++) {
      long from = i == 0 ? 0 : rnd.nextLong(BLOCKS);
      long to = from + 1 + rnd.nextLong(BLOCKS - from);
      String where = name + " after " + sets + " sets, from " + from;
      assertEquals(model.get(from), subject.get(from), where);
      assertEquals(model.nextChange(from), subject.nextChange(from), where);
      assertEquals(model.visit(from, to), subject.visit(from, to), where + " to " + to);
      for (int n : new int[] {1, 7, 64, 2 * runs + 3}) {
        assertEquals(model.iterate(from, n), subject.iterate(from, n), where + ", " + n + " runs");
      }
    }
  }
}
