package org.guestmem.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * A run of {@code count} DMA mappings ("entries": type1 {@code vfio_dma}s, iommufd areas) of {@code entryLength}
 * bytes each, one after the other in IOVA and in host address, with the same permissions: what granule mapping
 * makes of a populated stretch (N consecutive one-granule mappings). Entry {@code k} maps
 * {@code [iova + k * entryLength, +entryLength)} to {@code vaddr + k * entryLength}. A run stands for exactly those
 * {@code count} mappings: every boundary between two of them is a boundary the kernel sees. IOVAs and addresses are
 * unsigned 64-bit values; a run never wraps past the top of the IOVA space.
 *
 * @param iova first IOVA of the first entry
 * @param vaddr user-space address backing {@code iova}; the file offset for a mapping made by
 *     {@link DmaBackend#mapFile}
 * @param entryLength bytes per entry, non-zero (unsigned)
 * @param count number of entries, positive
 * @param readable the device may read
 * @param writable the device may write
 */
public record MappingRun(long iova, long vaddr, long entryLength, long count, boolean readable, boolean writable) {

  /**
   * @param iova first IOVA of the first entry
   * @param vaddr user-space address backing {@code iova}; the file offset for a mapping made by
   *     {@link DmaBackend#mapFile}
   * @param entryLength bytes per entry, non-zero (unsigned)
   * @param count number of entries, positive
   * @param readable the device may read
   * @param writable the device may write
   * @throws IllegalArgumentException if {@code entryLength} is 0, {@code count} is not positive, or the entries would
   *     run past the top of the 64-bit IOVA space
   */
  public MappingRun {
    if (entryLength == 0) {
      throw new IllegalArgumentException("mapping run entry length must not be 0");
    }
    if (count <= 0 || Long.compareUnsigned(count, entriesThatFit(iova, entryLength)) > 0) {
      throw new IllegalArgumentException(String.format("mapping run of %d entries of 0x%x bytes at IOVA 0x%x: the "
          + "count must be positive and the entries must end at or below the top of the 64-bit IOVA space", count,
          entryLength, iova));
    }
  }

  /**
   * As a run of one entry.
   *
   * @param m the mapping
   * @return a run of {@code count} 1
   */
  public static MappingRun of(DmaMapping m) {
    return new MappingRun(m.iova(), m.vaddr(), m.length(), 1, m.readable(), m.writable());
  }

  /**
   * The most entries of {@code entryLength} bytes a run starting at {@code iova} can hold before the top of the
   * 64-bit space (an unsigned value).
   *
   * @param iova first IOVA of the run
   * @param entryLength bytes per entry (unsigned)
   * @return the largest valid {@code count}, unsigned
   * @throws IllegalArgumentException if {@code entryLength} is 0
   */
  public static long entriesThatFit(long iova, long entryLength) {
    if (entryLength == 0) {
      throw new IllegalArgumentException("entry length must not be 0");
    }
    long room = -1L - iova; // bytes above iova, minus one: 2^64 - iova does not fit when iova is 0
    return Long.divideUnsigned(room, entryLength)
        + (Long.remainderUnsigned(room, entryLength) == entryLength - 1 ? 1 : 0);
  }

  /** {@return bytes covered: {@code count * entryLength} (modulo 2^64: a run covering the whole space reports 0)} */
  public long bytes() {
    return count * entryLength;
  }

  /** {@return the last IOVA, inclusive} */
  public long last() {
    return IovaRange.lastOf(iova, bytes());
  }

  /**
   * Entry {@code index} as a mapping.
   *
   * @param index the entry, from 0
   * @return the entry's mapping
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < count}
   */
  public DmaMapping entry(long index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("entry " + index + " of a run of " + count);
    }
    return new DmaMapping(iova + index * entryLength, entryLength, vaddr + index * entryLength, readable, writable);
  }

  /**
   * Adds every entry of this run to {@code out}, ascending (one object per entry: for small runs).
   *
   * @param out the list to append to
   */
  public void addEntriesTo(List<DmaMapping> out) {
    for (long k = 0; k < count; k++) {
      out.add(entry(k));
    }
  }

  /**
   * The entries of this run that overlap {@code [first, last]} (inclusive, unsigned), as a run; null if none does.
   * Entries are kept whole, so the result may start before {@code first} or end after {@code last}.
   *
   * @param first first IOVA of the window, inclusive
   * @param last last IOVA of the window, inclusive
   * @return the overlapping entries as a run (this run if all do), or null
   */
  public MappingRun entriesOverlapping(long first, long last) {
    if (!IovaRange.overlaps(iova, last(), first, last)) {
      return null;
    }
    long from = IovaRange.atOrBelow(first, iova) ? 0 : Long.divideUnsigned(first - iova, entryLength);
    long to = IovaRange.atOrBelow(last(), last) ? count - 1 : Long.divideUnsigned(last - iova, entryLength);
    if (from == 0 && to == count - 1) {
      return this;
    }
    return new MappingRun(iova + from * entryLength, vaddr + from * entryLength, entryLength, to - from + 1,
        readable, writable);
  }

  /**
   * Whether {@code next} continues this run: it starts right after it in IOVA and host address, with the same entry
   * length and permissions, so that the two are one run.
   *
   * @param next the run after this one
   * @return whether the two runs are one
   */
  public boolean continuedBy(MappingRun next) {
    return next.iova == last() + 1 && next.iova != 0 && next.vaddr == vaddr + bytes()
        && next.entryLength == entryLength && next.readable == readable && next.writable == writable
        && count + next.count > 0;
  }

  /**
   * {@code runs} (ascending, disjoint) with every run that {@linkplain #continuedBy continues} the one before merged
   * into it: the maximal runs, a form that two back-ends holding the same mappings share whatever runs they report.
   *
   * @param runs runs ascending by IOVA, disjoint
   * @return the maximal runs, a new list
   */
  public static List<MappingRun> maximal(List<MappingRun> runs) {
    List<MappingRun> out = new ArrayList<>(runs.size());
    for (MappingRun r : runs) {
      int lastIndex = out.size() - 1;
      if (lastIndex >= 0 && out.get(lastIndex).continuedBy(r)) {
        MappingRun before = out.get(lastIndex);
        out.set(lastIndex, new MappingRun(before.iova, before.vaddr, before.entryLength, before.count + r.count,
            before.readable, before.writable));
      } else {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return String.format("[0x%x, +0x%x) -> 0x%x %s%s in %d x 0x%x", iova, bytes(), vaddr, readable ? "r" : "-",
        writable ? "w" : "-", count, entryLength);
  }
}
