package org.guestmem.cli.replay;

import java.util.Map;
import java.util.TreeMap;
import org.guestmem.config.Providers;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.spi.DmaBackend;

/** Opens the {@link DmaPath} a run asks for. */
public final class DmaPaths {
  /** The back-end name that means "no back-end, check the listener's view only". */
  public static final String NONE = "none";

  /**
   * The iommufd provider: coalesce needs its compat cut path ({@code cut=true}), which the kernel leaves off by
   * default because it maps every page with its own IOMMU entry.
   */
  static final String IOMMUFD = "iommufd";

  /** The type1 provider, whose embedded model takes its entry limit as the option {@code dma-entry-limit}. */
  static final String VFIO_TYPE1 = "vfio-type1";

  private DmaPaths() {}

  /**
   * Opens {@code dma} (a provider name or {@value #NONE}) through {@link Providers#dmaBackend} with
   * {@code options} (which carry {@code kernel=embedded|real|auto}) for the mapping policy {@code mapping} and the
   * entry-limit policy {@code entryLimit}. For
   * {@code coalesce} on iommufd, {@code cut=true} is added unless the options set {@code cut}.
   *
   * @throws IllegalArgumentException for an unknown name (listing the names found), an unknown policy, or options the
   *     provider rejects, naming them
   */
  public static DmaPath open(String dma, String mapping, Map<String, String> options) {
    return open(dma, mapping, EntryLimitPolicy.DEFAULT.configName(), options);
  }

  /** As {@link #open(String, String, Map)} with the entry-limit policy {@code entryLimit}. */
  public static DmaPath open(String dma, String mapping, String entryLimit, Map<String, String> options) {
    MappingPolicy policy = MappingPolicy.parse(mapping);
    EntryLimitPolicy limit = EntryLimitPolicy.parse(entryLimit);
    if (NONE.equals(dma)) {
      return new ViewOnlyPath();
    }
    Map<String, String> opts = new TreeMap<>(options);
    if (policy == MappingPolicy.COALESCE && IOMMUFD.equals(dma)) {
      opts.putIfAbsent("cut", "true");
    }
    DmaBackend backend = Providers.dmaBackend(dma).open(opts);
    return new BackendPath(backend, policy, limit, VFIO_TYPE1.equals(dma) ? "dma-entry-limit" : "");
  }
}
