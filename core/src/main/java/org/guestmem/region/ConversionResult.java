package org.guestmem.region;

/**
 * What one successful conversion did.
 *
 * @param blocksChanged blocks whose source attribute changed (0 when the range was already in the target state)
 * @param runsNotified maximal runs whose populated state changed and were notified (before clipping per listener)
 * @param notifications listener calls made
 */
public record ConversionResult(long blocksChanged, int runsNotified, long notifications) {

  /** The result of a conversion that found the range already in the target state. */
  public static final ConversionResult UNCHANGED = new ConversionResult(0, 0, 0);
}
