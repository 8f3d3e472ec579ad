package org.guestmem.dma;

import static org.guestmem.spi.IovaRange.lengthOf;

import org.guestmem.dma.backend.MappingTable;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.MappingRun;

/**
 * What one {@link DmaMappingListener} holds in its back-end, and the back-end calls that change it: maps the stretches
 * of a range it does not hold (one call per granule or one per stretch, by the policy), unmaps or cuts what it holds,
 * and reloads its view from the back-end when an unmap fails. Ranges are IOVA {@code [first, last]}, inclusive; the
 * listener translates region offsets. The view is updated once per stretch, never per granule. Callers hold the
 * back-end's monitor.
 */
final class HeldMappings {
  private final DmaBackend backend;
  /** The calls that change mappings, recorded as JFR events with the region's name. */
  private final RecordedDmaCalls calls;
  private final MappingPolicy policy;
  private final long granularity;
  /** The IOVA of region offset 0. */
  private final long iovaBase;
  /** What region offset 0 translates to: the backing file's offset when mapped by file, else the host address. */
  private final long addressBase;
  /** The descriptor mappings are made by file with, or -1: mapped by user address. */
  private final int fileFd;
  private final long windowFirst;
  private final long windowLast;
  private final MappingTable view = new MappingTable();
  private final MappingTable.GapVisitor mapHole = this::mapHole;

  HeldMappings(DmaBackend backend, RecordedDmaCalls calls, MappingPolicy policy, long granularity, long iovaBase,
      long addressBase, int fileFd, long windowFirst, long windowLast) {
    this.backend = backend;
    this.calls = calls;
    this.policy = policy;
    this.granularity = granularity;
    this.iovaBase = iovaBase;
    this.addressBase = addressBase;
    this.fileFd = fileFd;
    this.windowFirst = windowFirst;
    this.windowLast = windowLast;
  }

  /** The view: what is held, one record per run of uniform mappings. */
  MappingTable view() {
    return view;
  }

  /** Maps every stretch of {@code [first, last]} not held yet. */
  void map(long first, long last) {
    view.forEachGap(first, last, mapHole);
  }

  /**
   * Maps one stretch nothing is held in. The view records the granules mapped as one run, after the calls (also those
   * before a call that failed), so that a failure leaves the view exactly what the back-end holds.
   */
  private void mapHole(long first, long last) {
    long vaddr = addressBase + (first - iovaBase);
    if (policy == MappingPolicy.COALESCE) {
      long length = lengthOf(first, last);
      mapOne(first, length, vaddr);
      view.add(first, length, vaddr, true, true);
      return;
    }
    long granules = Long.divideUnsigned(last - first, granularity) + 1;
    long done = 0;
    try {
      for (; done < granules; done++) {
        long at = done * granularity;
        mapOne(first + at, granularity, vaddr + at);
      }
    } finally {
      if (done > 0) {
        view.addRun(first, vaddr, granularity, done, true, true);
      }
    }
  }

  private void mapOne(long iova, long length, long address) {
    if (fileFd >= 0) {
      calls.mapFile(iova, length, fileFd, address, true, true);
    } else {
      calls.map(iova, length, address, true, true);
    }
  }

  /**
   * Unmaps what is held in {@code [first, last]}: one unmap, or one cut where a held mapping straddles either end.
   * On any failure the view is reloaded from the back-end and the failure rethrown.
   */
  void unmap(long first, long last) {
    if (!view.overlaps(first, last)) {
      return;
    }
    long lo = view.firstHeldIn(first, last);
    long hi = view.lastHeldIn(first, last);
    // A held mapping straddling either end needs a cut; at lo = 0 nothing can start before it.
    boolean cuts = view.entryContinuesAfter(lo - 1) || view.entryContinuesAfter(hi);
    long expected = view.bytesIn(lo, hi);
    long removed;
    try {
      removed = cuts ? calls.cut(lo, lengthOf(lo, hi)) : calls.unmap(lo, lengthOf(lo, hi));
    } catch (Throwable e) {
      reload();
      throw e;
    }
    if (cuts) {
      view.splitAfter(lo - 1);
      view.splitAfter(hi);
    }
    view.removeInside(lo, hi);
    if (removed != expected) {
      reload();
      throw new IllegalStateException(String.format(
          "%s unmapped 0x%x bytes of IOVA [0x%x, 0x%x] but this listener held 0x%x there; view reloaded",
          backend.name(), removed, lo, hi, expected));
    }
  }

  /** Replaces the view with what the back-end holds in the listener's IOVA window (whole mappings). */
  private void reload() {
    view.clear();
    backend.visitMappingRuns(run -> {
      MappingRun inWindow = run.entriesOverlapping(windowFirst, windowLast);
      if (inWindow != null) {
        view.addRun(inWindow.iova(), inWindow.vaddr(), inWindow.entryLength(), inWindow.count(),
            inWindow.readable(), inWindow.writable());
      }
    });
  }

  /** Unmaps every run still held, one call per run, and returns what was held, for the message. */
  String unmapAll() {
    String left = view.toString();
    for (MappingRun run : view.runs()) {
      calls.unmap(run.iova(), run.bytes());
      view.removeInside(run.iova(), run.last());
    }
    return left;
  }
}
