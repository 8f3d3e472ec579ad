package org.guestmem.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Shared memory that is a file: a memfd ({@code memfd_create}) of a given size, mapped read-write and
 * {@code MAP_SHARED} in this process. The pages are the file's, so a DMA back-end can map them by descriptor and file
 * offset ({@code IOMMU_IOAS_MAP_FILE}) as well as by the address of the mapping, as QEMU's
 * {@code memory-backend-memfd} guest RAM. Not thread-safe; {@link #close()} is idempotent.
 */
public final class MemfdMemory implements AutoCloseable {
  private final int fd;
  private final long address;
  private final long size;
  private boolean closed;

  private MemfdMemory(int fd, long address, long size) {
    this.fd = fd;
    this.address = address;
    this.size = size;
  }

  /**
   * Creates a memfd named {@code name} (close-on-exec), sizes it to {@code bytes} (a positive multiple of 4096; the
   * pages are allocated when touched or pinned) and maps it whole.
   *
   * @param name the memfd's name, shown in {@code /proc/self/fd}
   * @param bytes the size in bytes
   * @return the mapped memfd, which the caller closes
   * @throws IllegalArgumentException for a bad size
   * @throws IllegalStateException naming the call and the errno if one fails; nothing stays open then
   */
  public static MemfdMemory create(String name, long bytes) {
    if (bytes <= 0 || bytes % 4096 != 0) {
      throw new IllegalArgumentException("memfd size " + bytes + " must be a positive multiple of 4096");
    }
    LinuxLibc libc = LinuxLibc.get();
    int fd;
    try {
      fd = libc.memfd_create(name, LinuxLibc.MFD_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IllegalStateException("memfd_create(\"" + name + "\") failed: errno " + e.getErrorCode(), e);
    }
    try {
      libc.ftruncate(fd, new NativeLong(bytes));
      Pointer p = libc.mmap(null, new NativeLong(bytes), LinuxLibc.PROT_READ | LinuxLibc.PROT_WRITE,
          LinuxLibc.MAP_SHARED, fd, new NativeLong(0));
      return new MemfdMemory(fd, Pointer.nativeValue(p), bytes);
    } catch (LastErrorException e) {
      libc.close(fd);
      throw new IllegalStateException("sizing or mapping the memfd \"" + name + "\" of " + bytes
          + " bytes failed: errno " + e.getErrorCode(), e);
    }
  }

  /** {@return the memfd's descriptor, open until {@link #close()}} */
  public int fd() {
    return fd;
  }

  /** {@return the address the memfd is mapped at in this process} */
  public long address() {
    return address;
  }

  /** {@return the size in bytes, of the file and of the mapping} */
  public long size() {
    return size;
  }

  /**
   * Unmaps the memory and closes the descriptor (the pages go when nothing else, such as a DMA mapping by file,
   * holds the file).
   *
   * @throws IllegalStateException naming the errno if {@code munmap} or {@code close} fails (the descriptor is closed
   *     even when {@code munmap} failed)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      AnonymousMemory.unmap(address, size);
    } finally {
      try {
        LinuxLibc.get().close(fd);
      } catch (LastErrorException e) {
        throw new IllegalStateException("close of memfd " + fd + " failed: errno " + e.getErrorCode(), e);
      }
    }
  }
}
