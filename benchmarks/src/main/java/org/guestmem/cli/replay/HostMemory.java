package org.guestmem.cli.replay;

import org.guestmem.linux.AnonymousMemory;

/**
 * The user-space memory a replayed region's shared pages live at: the vaddr every DMA map names. The embedded kernel
 * models only check the address's alignment, so a fixed address serves; a real kernel pins the pages behind it, so
 * for a real back-end the region gets a real anonymous mapping of its full size ({@code MAP_NORESERVE}: only the
 * pages the kernel pins are ever allocated).
 *
 * <p>Declare it before the DMA path in a try-with-resources, so that the path unmaps everything before the memory
 * goes away.
 */
final class HostMemory implements AutoCloseable {
  /** Where the region is taken to start when no real kernel reads the address. */
  static final long MODEL_ADDRESS = ReplayRunner.HOST_ADDRESS;

  private long address;
  private long bytes;

  /**
   * Returns the address of {@code size} bytes for the region: {@link #MODEL_ADDRESS} unless {@code realKernel}, else
   * a fresh anonymous mapping that {@link #close()} releases.
   *
   * @throws IllegalStateException if memory was already backed, or naming the errno if {@code mmap} fails
   */
  long back(boolean realKernel, long size) {
    if (address != 0) {
      throw new IllegalStateException("host memory already backed at 0x" + Long.toHexString(address));
    }
    if (!realKernel) {
      address = MODEL_ADDRESS;
      return address;
    }
    address = AnonymousMemory.map(size);
    bytes = size;
    return address;
  }

  @Override
  public void close() {
    if (bytes > 0) {
      AnonymousMemory.unmap(address, bytes);
      bytes = 0;
    }
  }
}
