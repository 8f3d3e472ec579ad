package org.guestmem.dma;

import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;

/**
 * What {@link DmaMappingListener#register} checks before it maps anything, so that a configuration error fails at
 * registration with what to change, never in the middle of a run: the section, the IOMMU page and alignment, the
 * usable IOVA ranges, the ability to cut, and the entry-limit shortfall (which the {@link EntryLimitPolicy} decides).
 */
final class RegistrationChecks {
  // The listener's logger: the warning is about the listener, and logging configurations name it.
  private static final System.Logger LOG = System.getLogger(DmaMappingListener.class.getName());

  private RegistrationChecks() {}

  /** A section that must be non-empty, inside the region and aligned to the granularity. */
  static void checkSection(RegionLayout layout, long offset, long length) {
    long g = layout.granularity();
    if (offset < 0 || length <= 0 || offset + length < 0 || offset + length > layout.size()) {
      throw new IllegalArgumentException(String.format(
          "listener section [0x%x, +0x%x) must be non-empty and inside the region of size 0x%x", offset, length,
          layout.size()));
    }
    if (offset % g != 0 || length % g != 0) {
      throw new IllegalArgumentException(String.format(
          "listener section [0x%x, +0x%x) is not aligned to the granularity 0x%x", offset, length, g));
    }
  }

  /**
   * Whether {@code backend}, as {@code caps} describes it, can serve {@code listener}'s section with its policy;
   * throws {@link DmaConfigurationException} saying why not and what to change. Called holding the back-end's monitor.
   */
  static void preflight(DmaMappingListener listener, DmaCapabilities caps) {
    DmaBackend backend = listener.backend();
    RegionLayout layout = listener.manager().layout();
    MappingPolicy policy = listener.policy();
    long granularity = layout.granularity();
    long sectionLength = listener.sectionLength();
    long addressBase = listener.address(0);
    String section = String.format("section [0x%x, +0x%x) (IOVA [0x%x, 0x%x])", listener.sectionOffset(),
        sectionLength, listener.iovaFirst(), listener.iovaLast());
    long page = caps.minPageSize();
    if (granularity < page) {
      throw new DmaConfigurationException(String.format(
          "granularity 0x%x is below %s's smallest IOMMU page size 0x%x: mappings must be whole IOMMU pages",
          granularity, backend.name(), page));
    }
    if (layout.iovaBase() % page != 0 || addressBase % page != 0) {
      throw new DmaConfigurationException(String.format(
          "IOVA base 0x%x and %s 0x%x must be multiples of %s's IOMMU page size 0x%x", layout.iovaBase(),
          listener.mapsByFile() ? "backing file offset" : "host address", addressBase, backend.name(), page));
    }
    long backingPage = layout.backingPageSize();
    if (policy == MappingPolicy.COALESCE && backingPage > page && layout.iovaBase() % backingPage != 0) {
      // The host side is aligned to the backing page (RegionLayout), so only the IOVA side can break the congruence
      // a large IOMMU page needs; misaligned, no coalesced mapping could ever get one.
      throw new DmaConfigurationException(String.format(
          "mapping policy coalesce on memory backed by 0x%x-byte pages needs the IOVA base to be a multiple of the "
              + "backing page size, so that a run aligned to a backing page is aligned in IOVA too and can use "
              + "large IOMMU pages; IOVA base 0x%x is not: choose an aligned IOVA base, or use mapping policy granule",
          backingPage, layout.iovaBase()));
    }
    if (!caps.iovaUsable(listener.iovaFirst(), sectionLength)) {
      throw new DmaConfigurationException(String.format(
          "%s does not lie inside one of %s's usable IOVA ranges %s (the gaps are reserved, e.g. the x86 interrupt "
              + "window 0xfee00000-0xfeefffff): choose another IOVA base", section, backend.name(),
          caps.iovaRanges()));
    }
    if (policy == MappingPolicy.COALESCE && !caps.canCut()) {
      throw new DmaConfigurationException(String.format(
          "mapping policy coalesce needs a back-end that can cut a mapping before a partial unmap, and %s cannot: "
              + "%s. Use mapping policy granule, or the iommufd back-end with cut=true", backend.name(),
          caps.cutLimitation()));
    }
    checkEntryLimit(listener, caps, section);
  }

  /** The worst case, one entry per granule, against the entries left: refused when strict, else one warning. */
  private static void checkEntryLimit(DmaMappingListener listener, DmaCapabilities caps, String section) {
    DmaBackend backend = listener.backend();
    long granularity = listener.manager().layout().granularity();
    long needed = DmaMappingListener.entriesNeeded(listener.sectionLength(), granularity);
    if (caps.remainingEntries() >= needed) {
      return;
    }
    String shortfall = String.format(
        "%s mapping of %s at granularity 0x%x may need %d DMA entries (one per granule) but %s has %d left; "
            + "raise the limit to at least %d%s, or use a larger granularity", listener.policy().configName(),
        section, granularity, needed, backend.name(), caps.remainingEntries(), backend.entries() + needed,
        caps.entryLimitSetting().isEmpty() ? "" : " with " + caps.entryLimitSetting());
    if (listener.entryLimitPolicy() == EntryLimitPolicy.STRICT) {
      throw new DmaConfigurationException(shortfall + " (or use the on-demand entry-limit policy)");
    }
    LOG.log(System.Logger.Level.WARNING, "possibly running out of DMA mappings: {0}; conversions past the limit "
        + "will be refused and undone", shortfall);
  }
}
