package org.guestmem.cli.replay;

/**
 * What one replay did and cost.
 *
 * @param config what was run
 * @param dmaDescription the back-end, kernel path and policy, as the back-end describes itself
 * @param operations operations replayed
 * @param unchanged operations that found their range already in the target state
 * @param blocksChanged blocks whose attribute changed
 * @param runsNotified maximal runs whose populated state changed
 * @param notifications listener calls
 * @param mapCalls back-end map calls
 * @param unmapCalls back-end unmap calls
 * @param splitCalls back-end split (cut) calls
 * @param peakEntries most DMA mappings (or view runs) held at once
 * @param finalEntries DMA mappings held at the end
 * @param kernelBytes the back-end's kernel-memory estimate at the end
 * @param peakKernelBytes the estimate at the peak entry count
 * @param pinnedBytes bytes pinned at the end
 * @param peakPinnedBytes the most bytes pinned at once
 * @param storeBytesJol what the state stores retain, measured by JOL (-1 if JOL could not measure)
 * @param storeBytesOwn what the state stores say they retain
 * @param dmaBytesJol what the Java side's record of the DMA mappings retains (listener view, back-end ledger, kernel
 *     model), measured by JOL (-1 if not measured)
 * @param dmaRecords the run records those keep (runs of uniform mappings, once per table)
 * @param sharedBytes bytes shared at the end
 * @param p50Nanos median conversion latency
 * @param p99Nanos 99th-percentile conversion latency
 * @param maxNanos slowest conversion
 * @param elapsedNanos wall time of the replay loop, verification excluded
 * @param skippedLines trace lines skipped (not conversion events)
 * @param verifiedSteps how many times the invariant was checked (per operation in its range, and in full)
 * @param verifiedWhole how many of those checks covered the whole region (every {@code verifyEvery} operations
 *     and at the end)
 * @param refusedConversions conversions refused and undone exactly (e.g. past the DMA entry limit on demand)
 */
public record RunSummary(RunConfig config, String dmaDescription, long operations, long unchanged,
    long blocksChanged, long runsNotified, long notifications, long mapCalls, long unmapCalls, long splitCalls,
    long peakEntries, long finalEntries, long kernelBytes, long peakKernelBytes, long pinnedBytes,
    long peakPinnedBytes,
    long storeBytesJol, long storeBytesOwn, long dmaBytesJol, long dmaRecords, long sharedBytes, long p50Nanos,
    long p99Nanos, long maxNanos, long elapsedNanos, long skippedLines, long verifiedSteps, long verifiedWhole,
    long refusedConversions) {

  /** Operations per second over the replay loop. */
  public double throughput() {
    return elapsedNanos == 0 ? 0 : operations * 1e9 / elapsedNanos;
  }
}
