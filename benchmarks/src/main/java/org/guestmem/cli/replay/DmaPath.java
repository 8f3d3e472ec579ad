package org.guestmem.cli.replay;

import org.guestmem.region.AttributeManager;

/**
 * What a replay registers on the region and what it reads back: the DMA mapping listener over a back-end, or, with
 * no back-end, a listener that only keeps the populated view. Counters are cumulative since opening.
 */
public interface DmaPath extends AutoCloseable {

  /** One line: back-end, kernel path, policy. */
  String description();

  /** Whether a real kernel serves the mappings (and so pins the pages at the vaddrs it is given). */
  boolean realKernel();

  /**
   * Registers a listener of this path over the whole of {@code region} (which replays its populated runs to it). A
   * guest with several RAM regions attaches each: they share the back-end (one IOAS or container, IOVA =
   * guest-physical), with one listener per region.
   *
   * @throws IllegalStateException if {@code region} is already attached
   * @throws IllegalArgumentException (an {@link UnsupportedCombination}) if the back-end cannot serve the region
   *     with this policy, saying why
   */
  void attach(AttributeManager region);

  /** Map calls made on the back-end (0 without one). */
  long mapCalls();

  /** Unmap calls made on the back-end. */
  long unmapCalls();

  /** Split (cut) calls made on the back-end. */
  long splitCalls();

  /** Mappings (or view runs) held now. */
  long entries();

  /** The largest {@link #entries()} seen by {@link #sample()}. */
  long peakEntries();

  /** The kernel-memory estimate when {@link #peakEntries()} was reached. */
  long peakKernelBytes();

  /** Kernel memory the mappings cost now, by the back-end's estimate; 0 without one. */
  long kernelBytes();

  /** Bytes pinned now; 0 without a back-end. */
  long pinnedBytes();

  /** The most bytes pinned at any point since opening; 0 without a back-end. */
  long peakPinnedBytes();

  /** Notes the current entry count for {@link #peakEntries()}; called after every operation. */
  void sample();

  /**
   * Checks the mapping invariant: what the listener (and back-end) hold is exactly the region's populated runs.
   *
   * @throws InvariantViolation naming the first difference
   */
  void verify(AttributeManager region);

  /**
   * Checks the mapping invariant in region offsets {@code [offset, offset + length)} (and a granule either side):
   * the check after a conversion of that range, at the cost of the runs there rather than the region's.
   *
   * @throws InvariantViolation naming the first difference
   */
  void verify(AttributeManager region, long offset, long length);

  /**
   * The objects holding the Java side's record of what is mapped (the listener's view; the back-end with its ledger
   * and, on the embedded kernel path, the kernel model), for a retained-size measurement by JOL. None of them
   * references the region or its store.
   */
  Object[] bookkeeping();

  /** Records those objects keep: the runs of uniform mappings held, counted once per table that keeps them. */
  long bookkeepingRecords();

  /**
   * What is held now for the region attached first, as ascending {@code [start, end)} pairs of region offsets: the
   * DMA mappings (IOVA minus the region's IOVA base), or the view's runs without a back-end.
   */
  java.util.List<long[]> held();

  /**
   * Unregisters the listener, checks that the back-end holds and pins nothing any more, and closes the back-end.
   *
   * @throws InvariantViolation if the back-end still holds mappings after the listener unmapped what it mapped
   */
  @Override
  void close();
}
