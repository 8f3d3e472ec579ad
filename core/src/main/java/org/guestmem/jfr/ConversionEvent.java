package org.guestmem.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One attribute change of a guest RAM region: the JVM's counterpart of QEMU's
 * {@code ram_block_attributes_state_change} trace event, with the duration JFR records for every event. Enable it
 * with {@code -XX:StartFlightRecording} (it is on in the default settings) and read it with {@code jfr print
 * --events org.guestmem.Conversion}.
 */
@Name("org.guestmem.Conversion")
@Label("Guest Memory Conversion")
@Category({"guestmem"})
@Description("A shared/private conversion or plug/unplug of a guest RAM region")
@StackTrace(false)
public final class ConversionEvent extends Event {

  @Label("Offset")
  @DataAmount(DataAmount.BYTES)
  public long offset;

  @Label("Length")
  @DataAmount(DataAmount.BYTES)
  public long length;

  @Label("From")
  @Description("shared, private, plugged, unplugged, or mixture")
  public String from;

  @Label("To")
  public String to;

  @Label("Blocks Changed")
  public long blocksChanged;

  @Label("Runs Notified")
  public int runsNotified;

  @Label("Failed")
  @Description("A listener refused and the change was undone")
  public boolean failed;
}
