package org.guestmem.spi;

/**
 * One DMA mapping: {@code [iova, iova + length)} translated to user memory at {@code vaddr}. IOVAs and addresses are
 * unsigned 64-bit values.
 *
 * @param iova first IOVA
 * @param length bytes, positive
 * @param vaddr user-space address backing {@code iova}; the file offset for a mapping made by
 *     {@link DmaBackend#mapFile}
 * @param readable the device may read
 * @param writable the device may write
 */
public record DmaMapping(long iova, long length, long vaddr, boolean readable, boolean writable) {

  /**
   * Checks the length.
   *
   * @param iova first IOVA
   * @param length bytes, positive
   * @param vaddr user-space address backing {@code iova}; the file offset for a mapping made by
   *     {@link DmaBackend#mapFile}
   * @param readable the device may read
   * @param writable the device may write
   * @throws IllegalArgumentException if {@code length} is 0
   */
  public DmaMapping {
    if (length == 0) {
      throw new IllegalArgumentException("DMA mapping length must not be 0");
    }
  }

  /** {@return the IOVA one past the last byte (may wrap to 0 for a mapping that ends at the top of the space)} */
  public long end() {
    return iova + length;
  }

  /** {@return the last IOVA, inclusive} */
  public long last() {
    return IovaRange.lastOf(iova, length);
  }

  @Override
  public String toString() {
    return String.format("[0x%x, +0x%x) -> 0x%x %s%s", iova, length, vaddr, readable ? "r" : "-",
        writable ? "w" : "-");
  }
}
