package org.guestmem.region;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.guestmem.spi.Sizes;

/**
 * Where a guest's RAM lies in guest-physical space, without the regions themselves: the address ranges of a
 * {@link GuestMemoryMap}, written {@code 0:2G,4G:4G} (RAM below the PCI hole and above it).
 *
 * <p>The ranges, ascending, are also concatenated into one <em>RAM offset</em> space, as QEMU lays out the one RAM
 * block behind its below- and above-4G aliases: RAM offset 0 is the first range's start, and the second range
 * starts at RAM offset = the first range's size. QEMU's {@code ram_block_attributes_state_change} events count in
 * RAM offsets, {@code kvm_convert_memory} in guest-physical addresses; this class translates between the two.
 *
 * <p>Immutable; two ranges per RAM, whatever the guest's size.
 */
public final class RamLayout {
  /**
   * One range of RAM: {@code [guestPhysical, guestPhysical + size)}.
   *
   * @param guestPhysical the guest-physical address of the range's first byte
   * @param size the range's length in bytes
   */
  public record Range(long guestPhysical, long size) {
    /**
     * Checks the range.
     *
     * @param guestPhysical the guest-physical address of the range's first byte, not negative
     * @param size the range's length in bytes, positive
     * @throws IllegalArgumentException if the size is not positive or the range leaves the 64-bit space
     */
    public Range {
      if (guestPhysical < 0 || size <= 0 || guestPhysical + size < guestPhysical) {
        throw new IllegalArgumentException(String.format(
            "RAM at 0x%x size 0x%x must have a positive size and end inside the 64-bit guest-physical space",
            guestPhysical, size));
      }
    }

    /** {@return the first guest-physical address past the range} */
    public long end() {
      return guestPhysical + size;
    }

    @Override
    public String toString() {
      return String.format("[0x%x, 0x%x)", guestPhysical, end());
    }
  }

  private final List<Range> ranges;
  /** RAM offset of each range's start (the sizes of the ranges before it). */
  private final long[] ramOffsets;
  private final long size;

  private RamLayout(List<Range> sorted) {
    this.ranges = List.copyOf(sorted);
    this.ramOffsets = new long[sorted.size()];
    long total = 0;
    for (int i = 0; i < sorted.size(); i++) {
      ramOffsets[i] = total;
      total = Math.addExact(total, sorted.get(i).size());
    }
    this.size = total;
  }

  /**
   * The layout of {@code ranges}, in any order.
   *
   * @param ranges the RAM ranges, at least one
   * @return the layout, ranges ascending
   * @throws IllegalArgumentException if there is none or two overlap, naming them
   */
  public static RamLayout of(List<Range> ranges) {
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("a RAM layout needs at least one range");
    }
    List<Range> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(Range::guestPhysical));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i - 1).end() > sorted.get(i).guestPhysical()) {
        throw new IllegalArgumentException("RAM " + sorted.get(i) + " overlaps RAM " + sorted.get(i - 1));
      }
    }
    return new RamLayout(sorted);
  }

  /**
   * Parses {@code GPA:SIZE[,GPA:SIZE...]}, each a size or address such as {@code 4G} or {@code 0x100000000}.
   *
   * @param text the layout as written, e.g. {@code 0:2G,4G:4G}
   * @return the layout
   * @throws IllegalArgumentException naming the piece that is not {@code GPA:SIZE}, the number that does not parse,
   *     or ranges that overlap
   */
  public static RamLayout parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("RAM layout '" + text + "' is empty; write GPA:SIZE[,GPA:SIZE...], e.g. "
          + "0:2G,4G:4G");
    }
    List<Range> ranges = new ArrayList<>();
    for (String piece : text.split(",", -1)) {
      int colon = piece.indexOf(':');
      if (colon <= 0 || colon == piece.length() - 1 || piece.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException("RAM range '" + piece + "' in '" + text + "' is not GPA:SIZE (e.g. "
            + "4G:4G)");
      }
      long gpa = number(piece.substring(0, colon).trim(), "address", text);
      long bytes = number(piece.substring(colon + 1).trim(), "size", text);
      ranges.add(new Range(gpa, bytes));
    }
    return of(ranges);
  }

  private static long number(String value, String what, String text) {
    try {
      return Sizes.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("RAM " + what + " '" + value + "' in '" + text + "': " + e.getMessage(), e);
    }
  }

  /** {@return the ranges, ascending by guest-physical address} */
  public List<Range> ranges() {
    return ranges;
  }

  /** {@return total RAM in bytes: the size of the RAM offset space} */
  public long size() {
    return size;
  }

  /** {@return the first guest-physical address past the highest range} */
  public long end() {
    return ranges.get(ranges.size() - 1).end();
  }

  /**
   * {@return the RAM offset at which range {@code index} starts}
   *
   * @param index the range's position in {@link #ranges()}
   */
  public long ramOffset(int index) {
    return ramOffsets[index];
  }

  /**
   * The RAM offset of guest-physical {@code [gpa, gpa + length)}, which must lie in RAM (adjacent ranges count as
   * one: they are adjacent in RAM offsets too).
   *
   * @param gpa the first guest-physical address
   * @param length the length in bytes
   * @return the RAM offset of {@code gpa}
   * @throws IllegalArgumentException naming the first address of the range that is in no RAM range, or if the range
   *     is empty or overflows
   */
  public long ramOffsetOf(long gpa, long length) {
    if (length <= 0 || gpa < 0 || gpa + length < gpa) {
      throw new IllegalArgumentException(String.format(
          "guest-physical range 0x%x size 0x%x must be non-empty and inside the 64-bit space", gpa, length));
    }
    int i = indexAt(gpa);
    long end = gpa + length;
    for (int j = i; ranges.get(j).end() < end; j++) {
      if (j + 1 == ranges.size() || ranges.get(j + 1).guestPhysical() != ranges.get(j).end()) {
        throw notRam(ranges.get(j).end());
      }
    }
    return ramOffsets[i] + (gpa - ranges.get(i).guestPhysical());
  }

  /**
   * Guest-physical ranges of RAM offsets {@code [offset, offset + length)}, ascending, as {@code [gpa, length]}
   * pairs: one per RAM range touched, adjacent ranges merged (so a range that crosses no hole is one piece).
   *
   * @param offset the first RAM offset
   * @param length the length in bytes
   * @return the pieces, ascending
   * @throws IllegalArgumentException if the range is empty or leaves the RAM offset space
   */
  public List<long[]> guestPhysical(long offset, long length) {
    if (length <= 0 || offset < 0 || offset + length < offset || offset + length > size) {
      throw new IllegalArgumentException(String.format(
          "RAM offset 0x%x size 0x%x is outside the RAM offset space [0x0, 0x%x)", offset, length, size));
    }
    List<long[]> out = new ArrayList<>(2);
    long end = offset + length;
    int i = java.util.Arrays.binarySearch(ramOffsets, offset);
    i = i >= 0 ? i : -i - 2;
    for (long at = offset; at < end; i++) {
      long pieceEnd = Math.min(end, ramOffsets[i] + ranges.get(i).size());
      long gpa = ranges.get(i).guestPhysical() + (at - ramOffsets[i]);
      long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last[0] + last[1] == gpa) {
        last[1] += pieceEnd - at;
      } else {
        out.add(new long[] {gpa, pieceEnd - at});
      }
      at = pieceEnd;
    }
    return out;
  }

  private int indexAt(long gpa) {
    int lo = 0;
    int hi = ranges.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Range r = ranges.get(mid);
      if (gpa < r.guestPhysical()) {
        hi = mid - 1;
      } else if (gpa >= r.end()) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    throw notRam(gpa);
  }

  private IllegalArgumentException notRam(long gpa) {
    return new IllegalArgumentException(String.format("guest-physical address 0x%x is in no RAM range (RAM: %s)",
        gpa, this));
  }

  /** {@return the form {@link #parse} reads, in hexadecimal: {@code 0x0:0x80000000,0x100000000:0x100000000}} */
  public String format() {
    StringBuilder sb = new StringBuilder();
    for (Range r : ranges) {
      sb.append(sb.length() == 0 ? "" : ",").append(String.format("0x%x:0x%x", r.guestPhysical(), r.size()));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RamLayout other && other.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Range r : ranges) {
      sb.append(sb.length() == 0 ? "" : ", ").append(r);
    }
    return sb.toString();
  }
}
