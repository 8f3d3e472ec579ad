package org.guestmem.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.backend.MappingTable;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.ForwardingDmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.MappingRun;

/**
 * A recorder between the code under test and a back-end: it applies every call that succeeds to its own table of
 * mappings, by the rules every DMA back-end shares (a map adds one mapping, an unmap removes the mappings wholly
 * inside its range, a cut first splits the mappings straddling the range's ends), and checks each call's result
 * against it. It therefore knows what the IOMMU holds without asking the back-end, and can tell:
 *
 * <ul>
 *   <li><b>stale</b> mappings: an IOVA page mapped while its guest page is not populated (private or unplugged), the
 *       security hole this exists to rule out;
 *   <li><b>missing</b> mappings: a populated page the device cannot reach;
 *   <li><b>leaked</b> mappings: anything mapped outside every live listener's window, or anything left after the
 *       listeners closed.
 * </ul>
 *
 * <p>A call the back-end itself refuses is recorded as a violation (the code under test only issues valid calls), and
 * the table is reloaded from the back-end so that later checks stay meaningful. Not thread-safe: callers serialize on
 * the object the mapping listeners synchronize on.
 */
public final class ShadowIommu extends ForwardingDmaBackend {
  private final MappingTable table = new MappingTable();
  private final List<String> violations = new ArrayList<>();
  private long maps;
  private long unmaps;
  private long cuts;

  public ShadowIommu(DmaBackend delegate) {
    super(delegate);
  }

  /** Calls seen that succeeded: maps, unmaps and cuts. */
  public long callsRecorded() {
    return maps + unmaps + cuts;
  }

  /** The violations of the back-end rules seen so far (refused calls, results that disagree with the table). */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** What the shadow believes is mapped, as runs of uniform mappings, ascending. */
  public List<MappingRun> recorded() {
    return table.runs();
  }

  @Override
  public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    forward(() -> {
      delegate.map(iova, length, vaddr, readable, writable);
      return length;
    });
    maps++;
    DmaMapping m = new DmaMapping(iova, length, vaddr, readable, writable);
    if (table.overlaps(m.iova(), m.last())) {
      violations.add("map " + m + " succeeded over the recorded " + table.firstEntryIn(m.iova(), m.last()));
      reload();
    } else {
      table.add(m);
    }
  }

  @Override
  public long unmap(long iova, long length) {
    long removed = forward(() -> delegate.unmap(iova, length));
    unmaps++;
    expect("unmap", iova, length, removed, table.removeInside(iova, iova + length - 1));
    return removed;
  }

  @Override
  public long cut(long iova, long length) {
    long removed = forward(() -> delegate.cut(iova, length));
    cuts++;
    long last = iova + length - 1;
    table.splitAfter(last);
    if (iova != 0) {
      table.splitAfter(iova - 1);
    }
    expect("cut", iova, length, removed, table.removeInside(iova, last));
    return removed;
  }

  private void expect(String what, long iova, long length, long removed, long recorded) {
    if (removed != recorded) {
      violations.add(String.format("%s(iova=0x%x length=0x%x) removed 0x%x bytes, the shadow recorded 0x%x there",
          what, iova, length, removed, recorded));
      reload();
    }
  }

  /** Makes a call on the back-end; a refusal is a violation (the code under test only issues valid calls). */
  private long forward(LongSupplier call) {
    try {
      return call.getAsLong();
    } catch (DmaException e) {
      violations.add("the back-end refused a call of the code under test: " + e.getMessage());
      reload();
      throw e;
    }
  }

  private void reload() {
    table.clear();
    delegate.visitMappingRuns(run -> table.addRun(run.iova(), run.vaddr(), run.entryLength(), run.count(),
        run.readable(), run.writable()));
  }

  @Override
  public long unmapAll() {
    long removed = delegate.unmapAll();
    expect("unmapAll", 0, 0, removed, table.clear());
    return removed;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Checks

  /**
   * The problems in {@code listener}'s window: stale pages (mapped, not populated) and missing pages (populated, not
   * mapped), each as a range of region offsets, plus any disagreement between the shadow and the back-end. Empty when
   * the IOMMU is exactly what the region's state says. Call it while no conversion of the region is in progress.
   */
  public List<String> check(DmaMappingListener listener) {
    List<String> problems = new ArrayList<>(violations);
    AttributeManager manager = listener.manager();
    RegionLayout layout = manager.layout();
    long page = layout.granularity();
    long from = listener.sectionOffset();
    long to = from + listener.sectionLength();
    for (long off = from; off < to; ) {
      long iova = layout.iovaBase() + off;
      boolean mapped = table.holds(iova);
      boolean populated = manager.isPopulated(off, page);
      long runEnd = off + page;
      while (runEnd < to && table.holds(layout.iovaBase() + runEnd) == mapped
          && manager.isPopulated(runEnd, page) == populated) {
        runEnd += page;
      }
      if (mapped && !populated) {
        problems.add(String.format("STALE: offsets [0x%x, 0x%x) are mapped for DMA but %s", off, runEnd,
            manager.stateAt(off)));
      } else if (!mapped && populated) {
        problems.add(String.format("MISSING: offsets [0x%x, 0x%x) are populated but not mapped", off, runEnd));
      }
      off = runEnd;
    }
    List<MappingRun> backendRuns = MappingRun.maximal(delegate.mappingRuns());
    if (!table.runs().equals(backendRuns)) {
      problems.add("the shadow " + abbreviate(table.runs()) + " differs from the back-end's mappings "
          + abbreviate(backendRuns));
    }
    return problems;
  }

  /**
   * Recorded mappings that no listener in {@code live} owns (outside every live window): leaked. With no live
   * listener, every recorded mapping is leaked.
   */
  public List<String> leaked(List<DmaMappingListener> live) {
    List<String> problems = new ArrayList<>();
    for (MappingRun m : table.runs()) {
      boolean owned = false;
      for (DmaMappingListener l : live) {
        owned |= Long.compareUnsigned(m.iova(), l.iovaFirst()) >= 0
            && Long.compareUnsigned(m.last(), l.iovaLast()) <= 0;
      }
      if (!owned) {
        problems.add("LEAKED: " + m + " is mapped but no live listener owns it");
      }
    }
    return problems;
  }

  private static String abbreviate(List<MappingRun> list) {
    return list.size() <= 6 ? list.toString() : list.subList(0, 6) + " ... (" + list.size() + " runs)";
  }
}
