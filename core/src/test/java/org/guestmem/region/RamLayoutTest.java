package org.guestmem.region;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RamLayoutTest {
  static final long G = 1L << 30;

  @Test
  void parsesTheTwoRangesOfAGuestAroundThePciHole() {
    RamLayout ram = RamLayout.parse("4G:4G,0:2G");
    assertEquals(List.of(new RamLayout.Range(0, 2 * G), new RamLayout.Range(4 * G, 4 * G)), ram.ranges());
    assertEquals(6 * G, ram.size());
    assertEquals(8 * G, ram.end());
    assertEquals(2 * G, ram.ramOffset(1));
    assertEquals("0x0:0x80000000,0x100000000:0x100000000", ram.format());
    assertEquals(ram, RamLayout.parse(ram.format()));
  }

  @Test
  void translatesGuestPhysicalToRamOffsetsAndBack() {
    RamLayout ram = RamLayout.parse("0:2G,4G:4G");
    assertEquals(0x1000, ram.ramOffsetOf(0x1000, 0x1000));
    assertEquals(2 * G + 0x5000, ram.ramOffsetOf(4 * G + 0x5000, 0x2000));
    List<long[]> pieces = ram.guestPhysical(2 * G - 0x1000, 0x3000);
    assertEquals(2, pieces.size(), "a RAM-offset range across the hole is one piece each side");
    assertArrayEquals(new long[] {2 * G - 0x1000, 0x1000}, pieces.get(0));
    assertArrayEquals(new long[] {4 * G, 0x2000}, pieces.get(1));
  }

  @Test
  void adjacentRangesAreOneGuestPhysicalPiece() {
    RamLayout ram = RamLayout.parse("0:1G,1G:1G");
    assertEquals(G - 0x1000, ram.ramOffsetOf(G - 0x1000, 0x2000));
    List<long[]> pieces = ram.guestPhysical(G - 0x1000, 0x2000);
    assertEquals(1, pieces.size());
    assertArrayEquals(new long[] {G - 0x1000, 0x2000}, pieces.get(0));
  }

  @Test
  void badInputIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RamLayout.parse("0:2G,4G"));
    assertTrue(e.getMessage().contains("'4G'") && e.getMessage().contains("GPA:SIZE"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RamLayout.parse("0:2G,1G:4G"));
    assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RamLayout.parse("0:0"));
    assertTrue(e.getMessage().contains("positive size"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RamLayout.parse("0:2Q"));
    assertTrue(e.getMessage().contains("'2Q'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RamLayout.parse(""));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RamLayout.parse("0x7fffffffffffffff:2G"));
    assertTrue(e.getMessage().contains("64-bit"), e.getMessage());
    RamLayout ram = RamLayout.parse("0:2G,4G:4G");
    e = assertThrows(IllegalArgumentException.class, () -> ram.ramOffsetOf(2 * G - 0x1000, 0x2000));
    assertTrue(e.getMessage().contains("0x80000000 is in no RAM range"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ram.ramOffsetOf(3 * G, 0x1000));
    assertTrue(e.getMessage().contains("0xc0000000"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ram.guestPhysical(6 * G - 0x1000, 0x2000));
  }

  /** For random layouts and ranges: pieces cover the range in order, and each maps back to its RAM offset. */
  @Test
  void piecesAndOffsetsAgreeOnRandomLayouts() {
    long seed = 0x52414dL;
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int layout = 0; layout < 200; layout++) {
      List<RamLayout.Range> ranges = new ArrayList<>();
      long at = rnd.nextLong(4) * 0x1000;
      for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
        long size = (1 + rnd.nextLong(64)) * 0x1000;
        ranges.add(new RamLayout.Range(at, size));
        at += size + (rnd.nextBoolean() ? 0 : (1 + rnd.nextLong(8)) * 0x1000);
      }
      RamLayout ram = RamLayout.of(ranges);
      for (int q = 0; q < 50; q++) {
        long off = rnd.nextLong(ram.size() / 0x1000) * 0x1000;
        long len = (1 + rnd.nextLong((ram.size() - off) / 0x1000)) * 0x1000;
        long expected = off;
        long total = 0;
        long previousEnd = -1;
        for (long[] piece : ram.guestPhysical(off, len)) {
          String where = "seed " + seed + ", layout " + ram + ", range " + off + "+" + len;
          assertTrue(piece[0] != previousEnd, where + ": adjacent pieces were not merged");
          assertEquals(expected, ram.ramOffsetOf(piece[0], piece[1]), where);
          expected += piece[1];
          total += piece[1];
          previousEnd = piece[0] + piece[1];
        }
        assertEquals(len, total);
      }
    }
  }
}
