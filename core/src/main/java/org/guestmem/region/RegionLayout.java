package org.guestmem.region;

import org.guestmem.spi.IovaRange;

/**
 * Where one guest RAM region (QEMU's RAMBlock) lies: its size, its block size, where DMA sees it, where its shared
 * backing is mapped in this process, what that backing is made of and, optionally, the file it is.
 *
 * <p>The granularity (what is tracked and notified) and the backing page size (4 KiB, or 2 MiB / 1 GiB hugetlbfs)
 * are independent: 4 KiB tracking of 2 MiB-backed memory is valid. What that means for coalesced DMA mappings is
 * checked when a mapping listener registers (docs/architecture.md, "Tracking granularity and backing page size").
 *
 * @param size bytes, a positive multiple of {@code granularity} and of {@code backingPageSize}
 * @param granularity the block size: a power of two, at least 4096
 * @param iovaBase the IOVA of offset 0 (what the device sees)
 * @param hostAddress the user-space address of offset 0 of the shared backing, used as the vaddr of DMA maps; a
 *     multiple of {@code backingPageSize} when that is above 4 KiB (the kernel maps a huge page only at an aligned
 *     address)
 * @param backingPageSize the page size of the backing: a power of two, at least 4096 (4096 unless said otherwise)
 * @param backingFile the file the backing is, or null (anonymous memory); its offset is a multiple of
 *     {@code backingPageSize}
 */
public record RegionLayout(long size, long granularity, long iovaBase, long hostAddress, long backingPageSize,
    BackingFile backingFile) {

  /** The smallest granularity: the 4 KiB page. */
  public static final long MIN_GRANULARITY = 4096;

  /**
   * Checks the components against the rules above.
   *
   * @param size bytes, a positive multiple of {@code granularity} and of {@code backingPageSize}
   * @param granularity the block size: a power of two, at least 4096
   * @param iovaBase the IOVA of offset 0 (what the device sees)
   * @param hostAddress the user-space address of offset 0 of the shared backing, used as the vaddr of DMA maps; a
   *     multiple of {@code backingPageSize} when that is above 4 KiB (the kernel maps a huge page only at an aligned
   *     address)
   * @param backingPageSize the page size of the backing: a power of two, at least 4096 (4096 unless said otherwise)
   * @param backingFile the file the backing is, or null (anonymous memory); its offset is a multiple of
   *     {@code backingPageSize}
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public RegionLayout {
    if (granularity < MIN_GRANULARITY || Long.bitCount(granularity) != 1) {
      throw new IllegalArgumentException(String.format(
          "granularity %s (0x%x) must be a power of two and at least 4096", granularity, granularity));
    }
    if (size <= 0) {
      throw new IllegalArgumentException(String.format("region size %s (0x%x) must be positive", size, size));
    }
    if ((size & (granularity - 1)) != 0) {
      throw new IllegalArgumentException(String.format(
          "region size 0x%x is not a multiple of the granularity 0x%x", size, granularity));
    }
    if (IovaRange.wraps(iovaBase, size)) {
      throw new IllegalArgumentException(String.format(
          "IOVA base 0x%x + size 0x%x overflows the 64-bit IOVA space", iovaBase, size));
    }
    if (IovaRange.wraps(hostAddress, size)) {
      throw new IllegalArgumentException(String.format(
          "host address 0x%x + size 0x%x overflows the address space", hostAddress, size));
    }
    if (backingPageSize < MIN_GRANULARITY || Long.bitCount(backingPageSize) != 1) {
      throw new IllegalArgumentException(String.format(
          "backing page size %s (0x%x) must be a power of two and at least 4096", backingPageSize, backingPageSize));
    }
    // Huge-page backing only: a 4 KiB-backed host address is checked against the IOMMU page where it matters, when
    // a mapping listener registers, so that a state-only region may name any address.
    if (backingPageSize > MIN_GRANULARITY
        && ((size & (backingPageSize - 1)) != 0 || (hostAddress & (backingPageSize - 1)) != 0)) {
      throw new IllegalArgumentException(String.format(
          "region size 0x%x and host address 0x%x must be multiples of the backing page size 0x%x", size,
          hostAddress, backingPageSize));
    }
    if (backingFile != null && (backingFile.offset() & (backingPageSize - 1)) != 0) {
      throw new IllegalArgumentException(String.format(
          "backing file offset 0x%x must be a multiple of the backing page size 0x%x", backingFile.offset(),
          backingPageSize));
    }
  }

  /**
   * A region backed by 4 KiB pages of anonymous memory.
   *
   * @param size bytes, a positive multiple of {@code granularity}
   * @param granularity the block size: a power of two, at least 4096
   * @param iovaBase the IOVA of offset 0
   * @param hostAddress the user-space address of offset 0 of the shared backing
   * @throws IllegalArgumentException as the canonical constructor
   */
  public RegionLayout(long size, long granularity, long iovaBase, long hostAddress) {
    this(size, granularity, iovaBase, hostAddress, MIN_GRANULARITY, null);
  }

  /**
   * This layout with the backing made of pages of {@code pageSize} (e.g. 2 MiB hugetlbfs), the tracking granularity
   * unchanged.
   *
   * @param pageSize the backing page size: a power of two, at least 4096
   * @return the new layout
   * @throws IllegalArgumentException as the canonical constructor, naming the rule broken
   */
  public RegionLayout withBackingPageSize(long pageSize) {
    return new RegionLayout(size, granularity, iovaBase, hostAddress, pageSize, backingFile);
  }

  /**
   * This layout with the backing being the file {@code fd} from {@code offset} on (see {@link BackingFile}).
   *
   * @param fd an open file descriptor
   * @param offset the file offset of the region's offset 0
   * @return the new layout
   * @throws IllegalArgumentException as {@link BackingFile} and the canonical constructor
   */
  public RegionLayout withBackingFile(int fd, long offset) {
    return new RegionLayout(size, granularity, iovaBase, hostAddress, backingPageSize, new BackingFile(fd, offset));
  }

  /**
   * {@return a region at IOVA 0 with no host backing address (for tests and state-only use)}
   *
   * @param size bytes, a positive multiple of {@code granularity}
   * @param granularity the block size: a power of two, at least 4096
   * @throws IllegalArgumentException as the canonical constructor
   */
  public static RegionLayout of(long size, long granularity) {
    return new RegionLayout(size, granularity, 0, 0);
  }

  /** {@return number of blocks: {@code size / granularity}} */
  public long blocks() {
    return size >>> Long.numberOfTrailingZeros(granularity);
  }

  /** {@return log2 of the granularity} */
  public int granularityShift() {
    return Long.numberOfTrailingZeros(granularity);
  }
}
