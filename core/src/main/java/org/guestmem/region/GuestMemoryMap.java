package org.guestmem.region;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The guest's RAM as several regions by guest-physical address (RAM below the 4 GiB PCI hole and above it, NUMA
 * memory backends), each with its own {@link AttributeManager} (store, listeners, granularity, KVM back-end), and
 * the routing of a guest-physical conversion to the regions it covers.
 *
 * <p>A conversion that spans regions is all or nothing across them: the regions' write locks are taken in address
 * order (so two spanning conversions cannot deadlock), each region applies its part with its own two-phase rules,
 * and if a part is refused the parts already applied are put back exactly (listeners get their mappings back, KVM
 * converts back, stores as before) before the refusal is thrown. A gap between regions is bad input: an
 * {@link IllegalArgumentException} naming the address, with nothing changed.
 *
 * <p>Thread-safe: the map itself is immutable; the regions' locks order conversions. A conversion of one region
 * through its manager and one through the map are linearizable with each other.
 */
public final class GuestMemoryMap {
  /**
   * One region and the guest-physical address of its offset 0.
   *
   * @param guestPhysical the guest-physical address of the region's offset 0
   * @param region the region's manager
   */
  public record Ram(long guestPhysical, AttributeManager region) {
    /**
     * Checks the region.
     *
     * @param guestPhysical the guest-physical address of the region's offset 0
     * @param region the region's manager
     * @throws NullPointerException if {@code region} is null
     */
    public Ram {
      Objects.requireNonNull(region, "region");
    }

    /** {@return the first guest-physical address past the region} */
    public long end() {
      return guestPhysical + region.layout().size();
    }
  }

  private final List<Ram> rams;
  private final RamLayout layout;

  /** Checks, through the layout, that no range overlaps another or leaves the 64-bit space. */
  private GuestMemoryMap(List<Ram> rams) {
    this.rams = List.copyOf(rams);
    List<RamLayout.Range> ranges = new ArrayList<>(rams.size());
    for (Ram r : rams) {
      ranges.add(new RamLayout.Range(r.guestPhysical(), r.region().layout().size()));
    }
    this.layout = RamLayout.of(ranges);
  }

  /**
   * A map of {@code rams}, in any order.
   *
   * @param rams the regions
   * @return the map
   * @throws IllegalArgumentException if there is none, two overlap, one overflows the 64-bit address space or one
   *     region appears twice
   */
  public static GuestMemoryMap of(List<Ram> rams) {
    if (rams.isEmpty()) {
      throw new IllegalArgumentException("a guest memory map needs at least one RAM region");
    }
    List<Ram> sorted = new ArrayList<>(rams);
    sorted.sort(Comparator.comparingLong(Ram::guestPhysical));
    for (int i = 0; i < sorted.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (sorted.get(j).region() == sorted.get(i).region()) {
          throw new IllegalArgumentException("one region is mapped twice: " + sorted.get(i).region());
        }
      }
    }
    return new GuestMemoryMap(sorted);
  }

  /** {@return where the regions lie, and their RAM offsets} */
  public RamLayout ramLayout() {
    return layout;
  }

  /** {@return the regions, ascending by guest-physical address} */
  public List<Ram> rams() {
    return rams;
  }

  /**
   * The region holding guest-physical address {@code gpa}.
   *
   * @param gpa a guest-physical address
   * @return the region and its address
   * @throws IllegalArgumentException if no region holds it (a gap, such as the PCI hole)
   */
  public Ram ramAt(long gpa) {
    for (Ram r : rams) {
      if (gpa >= r.guestPhysical() && gpa < r.end()) {
        return r;
      }
    }
    throw new IllegalArgumentException(String.format("guest-physical address 0x%x is in no RAM region (RAM: %s)",
        gpa, describe()));
  }

  /**
   * Converts guest-physical {@code [gpa, gpa + length)} to shared or private, across every region it covers, all or
   * nothing. Returns what each region's part did, ascending.
   *
   * @param gpa first guest-physical address of the range
   * @param length length of the range in bytes, positive
   * @param shared true for shared, false for private
   * @return each part's result, ascending by address
   * @throws IllegalArgumentException if the range is empty, overflows, touches a gap (naming the first address in
   *     no region), or a part is not aligned to its region's granularity; nothing changed
   * @throws ConversionException if a region refused its part (its cause is the refusal; its offsets are the
   *     region's); the parts of earlier regions were put back. Compensations that failed are attached as
   *     suppressed.
   * @throws Error an Error a region's listener, KVM or store threw, after the same undo, with the
   *     ConversionException attached ({@link ConversionException#of})
   * @throws IllegalStateException if a region is not trusted, or when called from a listener's notification
   */
  public List<ConversionResult> convert(long gpa, long length, boolean shared) {
    if (length <= 0) {
      throw new IllegalArgumentException("conversion length " + length + " must be positive");
    }
    if (gpa < 0 || gpa + length < gpa) {
      throw new IllegalArgumentException(String.format(
          "conversion [0x%x, +0x%x) is outside the guest-physical space", gpa, length));
    }
    List<Ram> parts = new ArrayList<>();
    List<long[]> ranges = new ArrayList<>();
    long end = gpa + length;
    for (long p = gpa; p < end; ) {
      Ram r = ramAt(p);
      long partEnd = Math.min(end, r.end());
      long offset = p - r.guestPhysical();
      RangeRules.checkAligned("conversion", offset, partEnd - p, r.region().layout());
      int shift = r.region().layout().granularityShift();
      parts.add(r);
      ranges.add(new long[] {offset >>> shift, (offset + partEnd - p) >>> shift});
      p = partEnd;
    }
    for (Ram r : parts) {
      if (r.region().lock().isWriteLockedByCurrentThread()) {
        throw new IllegalStateException(
            "a listener may not change the region or its listeners from inside a notification");
      }
    }
    int locked = 0;
    try {
      for (Ram r : parts) {
        r.region().lock().writeLock().lock();
        locked++;
      }
      for (Ram r : parts) {
        if (!r.region().isTrusted()) {
          throw new IllegalStateException(String.format("RAM [0x%x, 0x%x) refuses changes: its state store failed "
              + "and could not be restored; nothing changed", r.guestPhysical(), r.end()));
        }
      }
      return applyAll(parts, ranges, shared);
    } finally {
      for (int i = locked - 1; i >= 0; i--) {
        parts.get(i).region().lock().writeLock().unlock();
      }
    }
  }

  private static List<ConversionResult> applyAll(List<Ram> parts, List<long[]> ranges, boolean shared) {
    List<RegionWriter.Part> done = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      try {
        done.add(parts.get(i).region().writer().applyPart(ranges.get(i)[0], ranges.get(i)[1], shared));
      } catch (Throwable refused) { // a part reports refusals as ConversionExceptions; anything else is undone too
        for (int j = done.size() - 1; j >= 0; j--) {
          try {
            parts.get(j).region().writer().undoPart(done.get(j));
          } catch (Throwable second) {
            refused.addSuppressed(second);
          }
        }
        if (refused instanceof ConversionException c) {
          throw c.surface();
        }
        if (refused instanceof Error e) {
          throw e;
        }
        if (refused instanceof RuntimeException e) {
          throw e;
        }
        throw new IllegalStateException("a region's part threw the checked " + refused + "; the parts before it were "
            + "put back", refused);
      }
    }
    List<ConversionResult> results = new ArrayList<>(done.size());
    for (RegionWriter.Part p : done) {
      results.add(p.result());
    }
    return results;
  }

  private String describe() {
    return layout.toString();
  }

  @Override
  public String toString() {
    return "GuestMemoryMap[" + describe() + "]";
  }
}
