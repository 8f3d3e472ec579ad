package org.guestmem.region;

import org.guestmem.spi.StateStore;

/**
 * The write side of a region, always called under its write lock: applies a change (one call alone, a group the
 * {@link FlatCombiner} merged, or this region's part of a {@link GuestMemoryMap} conversion) and gives each
 * successful one its commit sequence, the linearization witness.
 */
final class RegionWriter implements FlatCombiner.Region {
  private static final int DISCARDED = SourceStores.DISCARDED;
  private static final int POPULATED = SourceStores.POPULATED;

  private final SourceStores stores;
  private final ChangeApplier changes;
  /** Reused by every conversion (they hold the write lock and cannot nest), so the hot path allocates no runs. */
  private final RunList scratchRanges = new RunList();
  /** Commit order of successful conversions, a linearization witness. */
  private long nextSequence;

  RegionWriter(SourceStores stores, ChangeApplier changes) {
    this.stores = stores;
    this.changes = changes;
  }

  @Override
  public ConversionResult applyAlone(Source source, long from, long to, boolean populated) {
    stores.checkTrusted();
    RunList ranges = scratchRanges.clear();
    ranges.add(from, to);
    ChangeApplier.Applied applied = changes.apply(source, ranges, populated ? POPULATED : DISCARDED);
    return new ConversionResult(applied.blocksChanged(), applied.runs(), applied.notifications(), nextSequence++, 1);
  }

  @Override
  public ChangeApplier.Applied applyRanges(Source source, RunList ranges, int target) {
    stores.checkTrusted();
    return changes.apply(source, ranges, target);
  }

  @Override
  public StateStore store(Source source) {
    return stores.get(source);
  }

  @Override
  public long nextSequence() {
    return nextSequence++;
  }

  // For GuestMemoryMap: one part of a conversion that spans regions, under this region's write lock held by the map

  /**
   * Applies the shared attribute's change over blocks {@code [from, to)} and returns what it did with a copy of the
   * runs it changed, which {@link #undoPart} takes to put exactly those back.
   */
  Part applyPart(long from, long to, boolean shared) {
    ConversionResult result = applyAlone(Source.GUEST_MEMFD, from, to, shared);
    RunList changed = new RunList();
    RunList last = changes.lastChanged();
    for (int i = 0; i < last.size(); i++) {
      changed.add(last.start(i), last.end(i));
    }
    return new Part(result, changed, shared);
  }

  /** Puts back the blocks {@code part} changed (listeners, KVM and store), as a conversion of its own. */
  void undoPart(Part part) {
    if (part.changed().size() > 0) {
      changes.apply(Source.GUEST_MEMFD, part.changed(), part.shared() ? DISCARDED : POPULATED);
      nextSequence++;
    }
  }

  /** What {@link #applyPart} did, and the runs to put back. */
  record Part(ConversionResult result, RunList changed, boolean shared) {}
}
