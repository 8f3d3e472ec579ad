package org.guestmem.region;

/** The checks every public entry point applies before it changes anything, with messages that name the rule. */
final class RangeRules {
  private RangeRules() {}

  /** A byte range that must be non-empty, inside the region and aligned to the granularity. */
  static void checkAligned(String what, long offset, long length, RegionLayout layout) {
    checkInside(what, offset, length, layout);
    long mask = layout.granularity() - 1;
    if ((offset & mask) != 0) {
      throw new IllegalArgumentException(String.format(
          "%s offset 0x%x is not aligned to the granularity 0x%x", what, offset, layout.granularity()));
    }
    if ((length & mask) != 0) {
      throw new IllegalArgumentException(String.format(
          "%s length 0x%x is not a multiple of the granularity 0x%x", what, length, layout.granularity()));
    }
  }

  /** A byte range that must be non-empty and inside the region; alignment is not required. */
  static void checkInside(String what, long offset, long length, RegionLayout layout) {
    if (offset < 0) {
      throw new IllegalArgumentException(String.format("%s offset %d is negative", what, offset));
    }
    if (length <= 0) {
      throw new IllegalArgumentException(String.format("%s length %d must be positive", what, length));
    }
    long end = offset + length;
    if (end < 0) {
      throw new IllegalArgumentException(String.format(
          "%s offset 0x%x + length 0x%x overflows a signed 64-bit offset", what, offset, length));
    }
    if (end > layout.size()) {
      throw new IllegalArgumentException(String.format(
          "%s range [0x%x, 0x%x) is outside the region of size 0x%x", what, offset, end, layout.size()));
    }
  }
}
