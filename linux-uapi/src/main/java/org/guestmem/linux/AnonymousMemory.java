package org.guestmem.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Anonymous private memory from {@code mmap}: real user pages that a real kernel can pin for DMA, for tests and for
 * callers without their own guest-memory backing.
 */
public final class AnonymousMemory {
  private AnonymousMemory() {}

  /**
   * Maps {@code bytes} (a positive multiple of 4096) of zeroed read-write memory and returns its address. No swap is
   * reserved ({@code MAP_NORESERVE}): a guest-sized backing costs only the pages that are touched or pinned.
   *
   * @param bytes the size in bytes
   * @return the address of the mapping
   * @throws IllegalArgumentException for a bad size
   * @throws IllegalStateException naming the errno if {@code mmap} fails
   */
  public static long map(long bytes) {
    if (bytes <= 0 || bytes % 4096 != 0) {
      throw new IllegalArgumentException("anonymous mapping size " + bytes + " must be a positive multiple of 4096");
    }
    try {
      Pointer p = LinuxLibc.get().mmap(null, new NativeLong(bytes), LinuxLibc.PROT_READ | LinuxLibc.PROT_WRITE,
          LinuxLibc.MAP_PRIVATE | LinuxLibc.MAP_ANONYMOUS | LinuxLibc.MAP_NORESERVE, -1, new NativeLong(0));
      return Pointer.nativeValue(p);
    } catch (LastErrorException e) {
      throw new IllegalStateException("mmap of " + bytes + " anonymous bytes failed: errno " + e.getErrorCode(), e);
    }
  }

  /**
   * Unmaps memory from {@link #map}.
   *
   * @param address the address {@link #map} returned
   * @param bytes the size given to {@link #map}
   * @throws IllegalStateException naming the errno if {@code munmap} fails
   */
  public static void unmap(long address, long bytes) {
    try {
      LinuxLibc.get().munmap(new Pointer(address), new NativeLong(bytes));
    } catch (LastErrorException e) {
      throw new IllegalStateException(String.format("munmap(0x%x, %d) failed: errno %d", address, bytes,
          e.getErrorCode()), e);
    }
  }
}
