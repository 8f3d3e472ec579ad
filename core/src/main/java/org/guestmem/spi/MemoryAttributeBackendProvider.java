package org.guestmem.spi;

import java.util.Map;
import java.util.Objects;

/**
 * Opens {@link MemoryAttributeBackend}s of one kind; found with {@link java.util.ServiceLoader}, registered in
 * {@code META-INF/services/org.guestmem.spi.MemoryAttributeBackendProvider} and with {@code provides} in
 * {@code module-info}.
 */
public interface MemoryAttributeBackendProvider {

  /** {@return the name configuration selects this provider by, e.g. {@code guest-memfd} or {@code vm-attributes}} */
  String name();

  /**
   * Opens the attribute state of one region, every page private at first (as KVM starts a confidential guest).
   *
   * @param region the region to serve
   * @return a back-end, which the caller closes
   * @throws IllegalArgumentException for a bad region or an unknown option, naming it
   */
  MemoryAttributeBackend open(Region region);

  /**
   * The region a back-end serves.
   *
   * @param size bytes
   * @param guestPhysical the guest-physical address of offset 0 (the VM-wide ABI converts by it)
   * @param fileOffset the guest_memfd offset of region offset 0 (the memslot's {@code guest_memfd_offset})
   * @param hostAddress the user-space address of offset 0 of the shared backing, where pins are looked up
   * @param pins the pinned host pages (a DMA back-end's mappings, direct pins in tests)
   * @param options provider-specific settings; unknown keys are rejected
   */
  record Region(long size, long guestPhysical, long fileOffset, long hostAddress, PinnedRanges pins,
      Map<String, String> options) {
    /**
     * Checks the components and copies the options.
     *
     * @param size bytes
     * @param guestPhysical the guest-physical address of offset 0 (the VM-wide ABI converts by it)
     * @param fileOffset the guest_memfd offset of region offset 0 (the memslot's {@code guest_memfd_offset})
     * @param hostAddress the user-space address of offset 0 of the shared backing, where pins are looked up
     * @param pins the pinned host pages (a DMA back-end's mappings, direct pins in tests)
     * @param options provider-specific settings; unknown keys are rejected
     * @throws IllegalArgumentException if {@code size} is not positive or {@code fileOffset} is negative
     * @throws NullPointerException if {@code pins} or {@code options} is null
     */
    public Region {
      Objects.requireNonNull(pins, "pins");
      options = Map.copyOf(options);
      if (size <= 0) {
        throw new IllegalArgumentException("region size " + size + " must be positive");
      }
      if (fileOffset < 0) {
        throw new IllegalArgumentException("guest_memfd offset " + fileOffset + " must not be negative");
      }
    }

    /**
     * {@return a region at guest-physical 0, file offset 0, host address 0, nothing pinned}
     *
     * @param size bytes, positive
     */
    public static Region of(long size) {
      return new Region(size, 0, 0, 0, PinnedRanges.NONE, Map.of());
    }

    /**
     * {@return the same region with {@code pins}}
     *
     * @param pins the pinned host pages
     */
    public Region withPins(PinnedRanges pins) {
      return new Region(size, guestPhysical, fileOffset, hostAddress, pins, options);
    }
  }
}
