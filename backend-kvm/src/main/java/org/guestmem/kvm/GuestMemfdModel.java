package org.guestmem.kvm;

import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackendProvider.Region;
import org.guestmem.spi.MemoryAttributeCapabilities;

/**
 * An embedded model of the guest_memfd in-place conversion ABI: {@code KVM_SET_MEMORY_ATTRIBUTES2} issued on the
 * guest_memfd, by file offset (region offset + the memslot's {@code guest_memfd_offset}), advertised by
 * {@code KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES}. Rules, each from docs/kvm-attributes.md:
 *
 * <ul>
 *   <li>E1-E3: EINVAL for a zero size, a range not page-aligned, overflowing, or past the file;
 *   <li>P1: a conversion to private fails with EAGAIN while any page of the range has an extra reference (a pin:
 *       here any page a {@link org.guestmem.spi.PinnedRanges} reports), and {@code error_offset} is the file offset
 *       of the first such page; a conversion to shared checks no references (P2);
 *   <li>C1: with {@code content=zero}, a conversion to private fails with EOPNOTSUPP (zeroing is only promised
 *       towards shared);
 *   <li>A1: every check happens before the point of no return, so a refused call changes nothing.
 * </ul>
 * Pins are asked by host address ({@code region.hostAddress() + offset}, what {@link org.guestmem.spi.PinnedRanges}
 * speaks) and the answer is turned into a region offset and then a file offset. A region whose DMA is mapped by file
 * ({@code IOMMU_IOAS_MAP_FILE}, whose mappings record file offsets) takes {@code DmaPins.of(backend, layout)}, which
 * translates them to host addresses through the region's backing file (docs/kvm-attributes.md section 5).
 * State is run-based (O(shared runs)). Not thread-safe.
 */
public final class GuestMemfdModel extends EmbeddedAttributes {
  /** The content mode requested with every call ({@code flags}); docs/kvm-attributes.md section 4. */
  public enum Content {
    /** No promise about the contents (flags 0). */
    UNSPECIFIED,
    /** {@code KVM_SET_MEMORY_ATTRIBUTES2_ZERO}. */
    ZERO,
    /** {@code KVM_SET_MEMORY_ATTRIBUTES2_PRESERVE}. */
    PRESERVE
  }

  private final Content content;

  GuestMemfdModel(Region region, Content content) {
    super(region);
    this.content = content;
  }

  @Override
  public String name() {
    return GuestMemfdProvider.NAME;
  }

  @Override
  public MemoryAttributeCapabilities capabilities() {
    return new MemoryAttributeCapabilities("KVM_SET_MEMORY_ATTRIBUTES2", "KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES", PAGE,
        true, false, "guest_memfd in-place conversion (KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd, by file "
        + "offset): " + MODEL_ONLY);
  }

  @Override
  long kernelAddress(long offset) {
    return region.fileOffset() + offset;
  }

  @Override
  String arguments(long offset, long length, boolean toShared) {
    return String.format("offset=0x%x size=0x%x %s flags=%s", kernelAddress(offset), length, attributes(toShared),
        content.name().toLowerCase());
  }

  @Override
  void checkMore(long offset, long length, boolean toShared) {
    if (toShared) {
      return; // P2: only the guest references private pages, so making them shared checks no reference counts
    }
    if (content == Content.ZERO) {
      throw refusal(Errno.EOPNOTSUPP, offset, length, false, -1,
          "KVM cannot promise zeroed contents for a conversion to private");
    }
    long pinned = region.pins().firstPinned(region.hostAddress() + offset, length);
    if (pinned >= 0) {
      long page = (pinned - region.hostAddress()) & ~(PAGE - 1);
      throw refusal(Errno.EAGAIN, offset, length, false, page,
          String.format("the page at region offset 0x%x has an extra reference (pinned)", page));
    }
  }
}
