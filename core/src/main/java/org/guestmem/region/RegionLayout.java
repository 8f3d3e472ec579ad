package org.guestmem.region;

/**
 * Where one guest RAM region (QEMU's RAMBlock) lies: its size, its block size, where DMA sees it and where its shared
 * backing is mapped in this process.
 *
 * @param size bytes, a positive multiple of {@code granularity}
 * @param granularity the block size: a power of two, at least 4096
 * @param iovaBase the IOVA of offset 0 (what the device sees)
 * @param hostAddress the user-space address of offset 0 of the shared backing, used as the vaddr of DMA maps
 */
public record RegionLayout(long size, long granularity, long iovaBase, long hostAddress) {

  /** The smallest granularity: the 4 KiB page. */
  public static final long MIN_GRANULARITY = 4096;

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
    if (Long.compareUnsigned(iovaBase + size - 1, iovaBase) < 0) {
      throw new IllegalArgumentException(String.format(
          "IOVA base 0x%x + size 0x%x overflows the 64-bit IOVA space", iovaBase, size));
    }
    if (Long.compareUnsigned(hostAddress + size - 1, hostAddress) < 0) {
      throw new IllegalArgumentException(String.format(
          "host address 0x%x + size 0x%x overflows the address space", hostAddress, size));
    }
  }

  /** A region at IOVA 0 with no host backing address (for tests and state-only use). */
  public static RegionLayout of(long size, long granularity) {
    return new RegionLayout(size, granularity, 0, 0);
  }

  /** Number of blocks: {@code size / granularity}. */
  public long blocks() {
    return size >>> Long.numberOfTrailingZeros(granularity);
  }

  /** log2 of the granularity. */
  public int granularityShift() {
    return Long.numberOfTrailingZeros(granularity);
  }
}
