package org.guestmem.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The unsigned helpers at the top and bottom of the 64-bit space, and against exact arithmetic on random values. */
class IovaRangeTest {
  private static final long TOP = -1L;
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  private static BigInteger unsigned(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }

  @Test
  void lastAndLengthAreInversesUpToTheTopOfTheSpace() {
    assertEquals(0xfffL, IovaRange.lastOf(0, 0x1000));
    assertEquals(TOP, IovaRange.lastOf(TOP - 0xfff, 0x1000), "a range ending at the top has last 2^64 - 1");
    assertEquals(0x1000L, IovaRange.lengthOf(TOP - 0xfff, TOP));
    assertEquals(0L, IovaRange.lengthOf(0, TOP), "the whole space has length 2^64, which is 0 modulo 2^64");
    assertEquals(1L, IovaRange.lengthOf(TOP, TOP));
  }

  @Test
  void wrapsOnlyPastTheTop() {
    assertFalse(IovaRange.wraps(TOP - 0xfff, 0x1000), "ending exactly at the top does not wrap");
    assertTrue(IovaRange.wraps(TOP - 0xfff, 0x2000));
    assertFalse(IovaRange.wraps(1, TOP), "2^64 - 1 bytes from 1 end at the top");
    assertTrue(IovaRange.wraps(2, TOP), "2^64 - 1 bytes from 2 reach 2^64");
    assertFalse(IovaRange.wraps(0, TOP));
  }

  @Test
  void overlapIsInclusiveAtBothEnds() {
    assertTrue(IovaRange.overlaps(0x1000, 0x1fff, 0x1fff, 0x2fff), "sharing the last byte is an overlap");
    assertFalse(IovaRange.overlaps(0x1000, 0x1fff, 0x2000, 0x2fff), "touching is not");
    assertTrue(IovaRange.overlaps(TOP, TOP, 0x8000_0000_0000_0000L, TOP), "above 2^63, compared unsigned");
    assertFalse(IovaRange.overlaps(0, 0x7fff_ffff_ffff_ffffL, 0x8000_0000_0000_0000L, TOP));
  }

  @Test
  void containsRefusesEmptyAndWrappingRanges() {
    IovaRange r = new IovaRange(0x1000, TOP);
    assertTrue(r.contains(TOP - 0xfff, 0x1000));
    assertFalse(r.contains(0x2000, 0), "an empty range is never inside");
    assertFalse(r.contains(TOP - 0xfff, 0x2000), "a range past the top is not inside");
    assertFalse(r.contains(0, 0x1000), "below the start");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IovaRange(TOP, 0));
    assertTrue(e.getMessage().contains("0xffffffffffffffff is above its last address 0x0"), e.getMessage());
  }

  @Test
  void comparisonsAgreeWithExactArithmeticOnRandomValues() {
    SplittableRandom random = new SplittableRandom(20260601);
    long[] edges = {0, 1, TOP, TOP - 1, Long.MAX_VALUE, Long.MIN_VALUE};
    for (int i = 0; i < 20_000; i++) {
      long a = i < 36 ? edges[i % 6] : random.nextLong();
      long b = i < 36 ? edges[i / 6] : random.nextBoolean() ? random.nextLong() : a + random.nextInt(3) - 1;
      int exact = unsigned(a).compareTo(unsigned(b));
      assertEquals(exact < 0, IovaRange.below(a, b), () -> Long.toHexString(a) + " < " + Long.toHexString(b));
      assertEquals(exact <= 0, IovaRange.atOrBelow(a, b));
      assertEquals(exact <= 0 ? a : b, IovaRange.lower(a, b));
      assertEquals(exact >= 0 ? a : b, IovaRange.higher(a, b));
      long length = b;
      if (length != 0) {
        boolean exactWraps = unsigned(a).add(unsigned(length)).compareTo(TWO_64) > 0;
        assertEquals(exactWraps, IovaRange.wraps(a, length), () -> Long.toHexString(a) + " + " + length);
      }
    }
  }
}
