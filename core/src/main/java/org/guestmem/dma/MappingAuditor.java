package org.guestmem.dma;

import java.util.ArrayList;
import java.util.List;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
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
 */
public final class MappingAuditor {
  private MappingAuditor() {}

  /**
   * The violations found, each a sentence naming the range; empty when the listener is consistent. Call it while no
   * conversion of the region is in progress.
   */
  public static List<String> audit(DmaMappingListener listener) {
    List<String> problems = new ArrayList<>();
    AttributeManager manager = listener.manager();
    RegionLayout layout = manager.layout();
    DmaBackend backend = listener.backend();
    List<MappingRun> all;
    synchronized (backend) {
      all = backend.mappingRuns();
    }
    List<MappingRun> inWindow = new ArrayList<>();
    long previousLast = 0;
    boolean first = true;
    for (MappingRun run : all) {
      if (!first && Long.compareUnsigned(run.iova(), previousLast) <= 0) {
        problems.add("back-end mappings overlap or are out of order at " + run + " (a page mapped twice)");
      }
      first = false;
      previousLast = run.last();
      // Another listener's mappings may continue this one's in the same run: only the entries in the window count.
      MappingRun m = run.entriesOverlapping(listener.iovaFirst(), listener.iovaLast());
      if (m == null) {
        continue;
      }
      inWindow.add(m);
      if (Long.compareUnsigned(m.iova(), listener.iovaFirst()) < 0
          || Long.compareUnsigned(m.last(), listener.iovaLast()) > 0) {
        problems.add("mapping run " + m + " leaves the section's IOVA window");
      }
      long offset = m.iova() - layout.iovaBase();
      if (m.vaddr() != listener.address(offset)) {
        problems.add(String.format("mapping run %s translates to 0x%x, not to the %s 0x%x of offset 0x%x", m,
            m.vaddr(), listener.mapsByFile() ? "backing file offset" : "host address", listener.address(offset),
            offset));
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
    List<MappingRun> view = listener.mappingRuns();
    if (!view.equals(backendView)) {
      problems.add("the listener's view " + abbreviate(view) + " differs from the back-end's mappings in its window "
          + abbreviate(backendView));
    }
    List<long[]> mappedRuns = new ArrayList<>();
    for (MappingRun m : inWindow) {
      long start = m.iova() - layout.iovaBase();
      appendRun(mappedRuns, start, start + m.bytes());
    }
    List<long[]> populatedRuns = new ArrayList<>();
    manager.replayPopulated(listener.sectionOffset(), listener.sectionLength(), (offset, length) -> {
      appendRun(populatedRuns, offset, offset + length);
      return 0;
    });
    if (!sameRuns(mappedRuns, populatedRuns)) {
      problems.add("mapped offsets " + runs(mappedRuns) + " differ from the populated runs " + runs(populatedRuns)
          + " of section [0x" + Long.toHexString(listener.sectionOffset()) + ", +0x"
          + Long.toHexString(listener.sectionLength()) + ")");
    }
    return problems;
  }

  /**
   * Throws if {@link #audit} finds anything.
   *
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
