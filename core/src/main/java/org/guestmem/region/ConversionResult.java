package org.guestmem.region;

/**
 * What one successful conversion did.
 *
 * @param blocksChanged blocks of this call's range whose source attribute it changed (0 when the range was already
 *     in the target state); in a combined conversion, a block two calls share counts for the one applied first
 * @param runsNotified maximal runs whose populated state changed and were notified (before clipping per listener);
 *     in a combined conversion, those of the whole combined change
 * @param notifications listener calls made (of the whole combined change, when combined)
 * @param sequence the position of this call in the region's commit order: the linearization order of conversions
 * @param batchSize how many calls were combined into the conversion this one was part of (1 when alone)
 */
public record ConversionResult(long blocksChanged, int runsNotified, long notifications, long sequence,
    int batchSize) {

  /** {@return whether the call changed any block} */
  public boolean changed() {
    return blocksChanged > 0;
  }
}
