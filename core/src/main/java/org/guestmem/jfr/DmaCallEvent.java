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
 * that a recording shows how much of a conversion's time the DMA side takes. Emitted by
 * {@link org.guestmem.dma.DmaMappingListener} around every call it makes that maps or unmaps, whatever the back-end
 * (those of this project, a third party's); it is on in JFR's default settings. Read it with {@code jfr print
 * --events org.guestmem.DmaCall}.
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

  /** The name ({@code AttributeManager.name()}) of the region whose listener made the call. */
  @Label("Region")
  @Description("The name of the region the call was made for, as its Conversion events carry it (one back-end may "
      + "serve several regions)")
  public String region;

  /** The call: {@code map}, {@code mapFile}, {@code unmap} or {@code cut}. */
  @Label("Operation")
  @Description("map, mapFile (a backing file's pages), unmap, or cut (unmap that first splits mappings straddling "
      + "the range's ends)")
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
  @Description("The call threw (the kernel refused it, e.g. ENOSPC past the entry limit, or the back-end failed)")
  public boolean failed;
}
