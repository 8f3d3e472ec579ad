package org.guestmem.cli.replay;

import org.guestmem.config.Providers;
import org.guestmem.region.RegionLayout;

/** Opens the {@link DmaPath} a run asks for. */
public final class DmaPaths {
  /** The back-end name that means "no back-end, check the listener's view only". */
  public static final String NONE = "none";

  private DmaPaths() {}

  /**
   * Opens {@code dma} (a provider name or {@value #NONE}) with the kernel path and mapping policy for a region laid
   * out as {@code layout}.
   *
   * @throws IllegalArgumentException for an unknown name (listing the names found) or a combination the back-end
   *     cannot do, saying why
   */
  public static DmaPath open(String dma, String kernel, String mapping, RegionLayout layout) {
    if (NONE.equals(dma)) {
      return new ViewOnlyPath();
    }
    Providers.dmaBackend(dma); // names the providers found when there is no such back-end
    throw new IllegalStateException("DMA back-end '" + dma + "' is on the class path but this build has no DMA "
        + "mapping listener (org.guestmem.dma) to drive it; use --dma none");
  }
}
