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
 * One call on a DMA back-end (a type1 or iommufd ioctl, or the embedded model's counterpart) with its duration, so
 * that a recording shows how much of a conversion's time the DMA side takes. Emitted by whatever wraps the back-end
 * to record it; read it with {@code jfr print --events org.guestmem.DmaCall}.
 */
@Name("org.guestmem.DmaCall")
@Label("Guest Memory DMA Call")
@Category({"guestmem"})
@Description("A map, unmap or cut call on a DMA back-end")
@StackTrace(false)
public final class DmaCallEvent extends Event {

  /** The back-end's provider name. */
  @Label("Back-end")
  @Description("The provider name, e.g. iommufd or vfio-type1")
  public String backend;

  /** The region's name ({@code AttributeManager.name()}), or null. */
  @Label("Region")
  @Description("The name of the region the call was made for, as its Conversion events carry it; null when the "
      + "recorder serves no one region")
  public String region;

  /** The call: {@code map}, {@code unmap}, {@code cut} or {@code unmapAll}. */
  @Label("Operation")
  @Description("map, unmap, cut (unmap that first splits mappings straddling the range's ends) or unmapAll")
  public String operation;

  /** First IOVA of the range. */
  @Label("IOVA")
  @Description("First IOVA of the range (hex)")
  @MemoryAddress
  public long iova;

  /** Length of the range in bytes. */
  @Label("Length")
  @DataAmount(DataAmount.BYTES)
  public long length;

  /** Mappings the back-end holds after the call. */
  @Label("Entries After")
  @Description("Mappings the back-end holds after the call")
  public long entriesAfter;

  /** Whether the call threw. */
  @Label("Failed")
  @Description("The call threw (the kernel refused it, e.g. ENOSPC past the entry limit)")
  public boolean failed;
}
