package org.guestmem.dma;

import java.util.ArrayList;
import java.util.List;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.IovaRange;
import org.guestmem.spi.MappingRun;

/**
 * Checks the invariant of a {@link DmaMappingListener} against its region and its back-end: the IOVA pages mapped
 * in the section's window are exactly the populated pages of the section, no page is mapped twice, every mapping
 * translates to the region's host address (or, mapped by file, its backing file's offset) at the same offset, the
 * listener's view equals the back-end's, and (for {@link MappingPolicy#GRANULE}) every mapping is one granule, and
 * KVM never refused a conversion to private for a page the region's own listeners still held
 * ({@link AttributeManager#heldPinRefusals()}). Cheap enough to run after
 * every operation in tests; usable at run time as a consistency check (it walks the populated runs and the back-end's
 * runs of uniform mappings once, so its cost follows the number of runs, not of mappings).
 * {@link #audit(DmaMappingListener, long, long)} checks one range, at the cost of the runs in it.
 */
public final class MappingAuditor {
  private MappingAuditor() {}

  /**
   * The violations found, each a sentence naming the range; empty when the listener is consistent. Call it while no
   * conversion of the region is in progress.
   *
   * @param listener the listener to check
   * @return the violations, empty when there is none
   */
  public static List<String> audit(DmaMappingListener listener) {
    return audit(listener, listener.sectionOffset(), listener.sectionLength(), true);
  }

  /**
   * As {@link #audit(DmaMappingListener)}, limited to region offsets {@code [offset, offset + length)} widened by one
   * granule on each side (to see a wrong cut at either end) and clipped to the listener's section: the check after a
   * conversion of that range, which changes nothing outside it. Its cost follows the populated runs and mapping runs
   * in the range, not the region's. Whole mapping runs reaching into the range are compared as far as they overlap
   * it.
   *
   * @param listener the listener to check
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes, positive
   * @return the violations, empty when there is none
   * @throws IllegalArgumentException if the range is empty or negative
   */
  public static List<String> audit(DmaMappingListener listener, long offset, long length) {
    if (length <= 0 || offset < 0) {
      throw new IllegalArgumentException(String.format("audit range [0x%x, +0x%x) is empty or negative", offset,
          length));
    }
    long g = listener.manager().layout().granularity();
    long from = Math.max(listener.sectionOffset(), offset - g);
    long to = Math.min(listener.sectionOffset() + listener.sectionLength(), offset + length + g);
    if (from >= to) {
      return List.of(); // the range lies outside this listener's section: nothing of it to compare
    }
    return audit(listener, from, to - from, false);
  }

  private static List<String> audit(DmaMappingListener listener, long offset, long length, boolean whole) {
    List<String> problems = new ArrayList<>();
    AttributeManager manager = listener.manager();
    RegionLayout layout = manager.layout();
    DmaBackend backend = listener.backend();
    long first = listener.iova(offset);
    long last = IovaRange.lastOf(first, length);
    List<MappingRun> all = new ArrayList<>();
    synchronized (backend) {
      if (whole) {
        backend.visitMappingRuns(all::add);
      } else {
        backend.visitMappingRuns(first, last, all::add);
      }
    }
    List<MappingRun> inWindow = new ArrayList<>();
    long previousLast = 0;
    boolean firstRun = true;
    for (MappingRun run : all) {
      if (!firstRun && IovaRange.atOrBelow(run.iova(), previousLast)) {
        problems.add("back-end mappings overlap or are out of order at " + run + " (a page mapped twice)");
      }
      firstRun = false;
      previousLast = run.last();
      // Another listener's mappings may continue this one's in the same run: only the entries in the window count.
      MappingRun m = run.entriesOverlapping(whole ? listener.iovaFirst() : first,
          whole ? listener.iovaLast() : last);
      if (m == null) {
        continue;
      }
      inWindow.add(m);
      if (IovaRange.below(m.iova(), listener.iovaFirst()) || IovaRange.below(listener.iovaLast(), m.last())) {
        problems.add("mapping run " + m + " leaves the section's IOVA window");
      }
      long mOffset = m.iova() - layout.iovaBase();
      if (m.vaddr() != listener.address(mOffset)) {
        problems.add(String.format("mapping run %s translates to 0x%x, not to the %s 0x%x of offset 0x%x", m,
            m.vaddr(), listener.mapsByFile() ? "backing file offset" : "host address", listener.address(mOffset),
            mOffset));
      }
      if (listener.policy() == MappingPolicy.GRANULE && m.entryLength() != layout.granularity()) {
        problems.add("granule policy but mapping run " + m + " is not made of granules of 0x"
            + Long.toHexString(layout.granularity()));
      }
    }
    if (manager.heldPinRefusals() > 0) {
      problems.add(manager.heldPinRefusals() + " conversion(s) to private refused by KVM for a page this region's "
          + "listeners still held; last: " + manager.lastHeldPinRefusal().orElse("?"));
    }
    List<MappingRun> backendView = MappingRun.maximal(inWindow);
    List<MappingRun> view;
    if (whole) {
      view = listener.mappingRuns();
    } else {
      List<MappingRun> held = new ArrayList<>();
      for (MappingRun run : listener.mappingRuns(first, last)) {
        MappingRun m = run.entriesOverlapping(first, last);
        if (m != null) {
          held.add(m);
        }
      }
      view = MappingRun.maximal(held);
    }
    if (!view.equals(backendView)) {
      problems.add("the listener's view " + abbreviate(view) + " differs from the back-end's mappings in "
          + (whole ? "its window " : String.format("IOVA [0x%x, 0x%x] ", first, last)) + abbreviate(backendView));
    }
    List<long[]> mappedRuns = new ArrayList<>();
    for (MappingRun m : inWindow) {
      // Clipped to the range: a coalesced mapping may reach past it, and the populated runs are clipped too.
      long start = Math.max(m.iova() - layout.iovaBase(), offset);
      long end = Math.min(m.iova() - layout.iovaBase() + m.bytes(), offset + length);
      appendRun(mappedRuns, start, end);
    }
    List<long[]> populatedRuns = new ArrayList<>();
    manager.replayPopulated(offset, length, (at, len) -> {
      appendRun(populatedRuns, at, at + len);
      return 0;
    });
    if (!sameRuns(mappedRuns, populatedRuns)) {
      problems.add("mapped offsets " + runs(mappedRuns) + " differ from the populated runs " + runs(populatedRuns)
          + " of " + (whole ? "section" : "range") + " [0x" + Long.toHexString(offset) + ", +0x"
          + Long.toHexString(length) + ")");
    }
    return problems;
  }

  /**
   * Throws if {@link #audit} finds anything.
   *
   * @param listener the listener to check
   * @throws IllegalStateException listing every violation
   */
  public static void check(DmaMappingListener listener) {
    List<String> problems = audit(listener);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(listener + " is inconsistent: " + String.join("; ", problems));
    }
  }

  /**
   * Throws unless {@code backend} holds no mapping and pins nothing: the state after every listener using it has
   * closed.
   *
   * @param backend the back-end to check
   * @throws IllegalStateException naming what is left
   */
  public static void checkNothingMapped(DmaBackend backend) {
    synchronized (backend) {
      List<MappingRun> left = backend.mappingRuns();
      if (backend.entries() != 0 || backend.pinnedBytes() != 0 || !left.isEmpty()) {
        throw new IllegalStateException(String.format("%s still holds %d mappings and pins %d bytes: %s",
            backend.name(), backend.entries(), backend.pinnedBytes(), abbreviate(left)));
      }
    }
  }

  private static void appendRun(List<long[]> runs, long start, long end) {
    if (!runs.isEmpty() && runs.get(runs.size() - 1)[1] == start) {
      runs.get(runs.size() - 1)[1] = end;
    } else {
      runs.add(new long[] {start, end});
    }
  }

  private static boolean sameRuns(List<long[]> a, List<long[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i)[0] != b.get(i)[0] || a.get(i)[1] != b.get(i)[1]) {
        return false;
      }
    }
    return true;
  }

  private static String runs(List<long[]> runs) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < runs.size() && i < 8; i++) {
      sb.append(i == 0 ? "" : ", ").append(String.format("[0x%x, 0x%x)", runs.get(i)[0], runs.get(i)[1]));
    }
    return sb.append(runs.size() > 8 ? ", ... " + runs.size() + " runs]" : "]").toString();
  }

  private static String abbreviate(List<MappingRun> list) {
    return list.size() <= 8 ? list.toString() : list.subList(0, 8) + " ... (" + list.size() + " runs)";
  }
}
