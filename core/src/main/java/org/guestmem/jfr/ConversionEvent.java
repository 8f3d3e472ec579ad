package org.guestmem.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
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

  /** The region's name ({@code AttributeManager.name()}). */
  @Label("Region")
  @Description("The region's name (AttributeManagerBuilder.name, e.g. QEMU's RAMBlock id), by default its IOVA base "
      + "in hex")
  public String region;

  /** Hex in {@code jfr print}, to match QEMU's trace lines, which print offsets in hex. */
  @Label("Offset")
  @Description("Byte offset of the change in the region (hex), as QEMU's ram_block_attributes_state_change prints it")
  @MemoryAddress
  public long offset;

  /** Length of the change in bytes. */
  @Label("Length")
  @DataAmount(DataAmount.BYTES)
  public long length;

  /**
   * The state the range was in: {@code shared} or {@code private} (guest_memfd source), {@code plugged} or
   * {@code unplugged} (plug source) when every block changed; {@code mixture} when only some did (the others were
   * already in the target state); {@code already} when none did (an idempotent conversion); {@code unread} when the
   * store could not be read, so the change was refused before anything changed.
   */
  @Label("From")
  @Description("shared, private, plugged, unplugged: every block was in it; mixture: only some blocks changed; "
      + "already: none changed; unread: the store could not be read and nothing changed")
  public String from;

  /** The state the range was set to: {@code shared}, {@code private}, {@code plugged} or {@code unplugged}. */
  @Label("To")
  @Description("shared, private, plugged or unplugged")
  public String to;

  /** Blocks of the range whose state changed; 0 when it was already in the target state. */
  @Label("Blocks Changed")
  public long blocksChanged;

  /** Maximal runs whose populated state changed, each notified to the listeners of its section. */
  @Label("Runs Notified")
  public int runsNotified;

  /**
   * Whether the change failed: a listener or KVM refused it, or the store could not be read ({@code from} is then
   * {@code unread} and nothing changed) or written. A failed change was undone, in full unless an undo step failed
   * too, which the log reports as an ERROR ({@code ConversionException.isConsistent()} false).
   */
  @Label("Failed")
  @Description("A listener or KVM refused the change, or the store could not be read or written; the change was "
      + "undone (an ERROR in the log when only in part)")
  public boolean failed;
}
