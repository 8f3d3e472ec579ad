package org.guestmem.region;

/**
 * The file a region's memory is made of (QEMU's RAMBlock {@code fd} and {@code fd_offset}): a memfd, or a hugetlbfs
 * file. A DMA back-end that maps files ({@link org.guestmem.spi.DmaBackend#mapFile}) maps the region by this file
 * instead of by its host address. guestmem neither opens nor closes the descriptor: its owner keeps it open while
 * the region is mapped.
 *
 * @param fd an open file descriptor, not negative
 * @param offset the file offset of the region's offset 0: not negative and a multiple of 4096
 */
public record BackingFile(int fd, long offset) {

  /**
   * @param fd an open file descriptor, not negative
   * @param offset the file offset of the region's offset 0: not negative and a multiple of 4096
   * @throws IllegalArgumentException for a negative descriptor or an offset that is negative or not page-aligned
   */
  public BackingFile {
    if (fd < 0) {
      throw new IllegalArgumentException("backing file descriptor " + fd + " must not be negative");
    }
    if (offset < 0 || offset % RegionLayout.MIN_GRANULARITY != 0) {
      throw new IllegalArgumentException(String.format(
          "backing file offset %d (0x%x) must be a non-negative multiple of 4096", offset, offset));
    }
  }
}
