package org.guestmem.it.realkernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls the real-kernel tests make themselves: opening device nodes, ioctls on the VFIO device and
 * iommufd structures the back-ends do not expose (device regions, group status), and page-aligned anonymous memory
 * to map for DMA. Every failure is an {@link Errno} exception naming the call, so a test can assert the errno.
 */
final class Libc {
  static final int O_RDWR = 2;
  static final int O_CLOEXEC = 0x80000;
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MAP_SHARED = 1;
  static final int MAP_PRIVATE = 2;
  static final int MAP_ANONYMOUS = 0x20;
  static final long PAGE = 4096;

  /** A failed libc call, with its errno. */
  static final class ErrnoException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int errno;

    ErrnoException(String call, int errno) {
      super(call + " failed with errno " + errno);
      this.errno = errno;
    }
  }

  private interface C extends Library {
    C INSTANCE = Native.load("c", C.class);

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    int ioctl(int fd, long request, long arg) throws LastErrorException;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    int munmap(Pointer addr, long length) throws LastErrorException;

    long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException;
  }

  private Libc() {}

  static int open(String path) {
    try {
      return C.INSTANCE.open(path, O_RDWR | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new ErrnoException("open(" + path + ")", e.getErrorCode());
    }
  }

  static void close(int fd) {
    try {
      C.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      throw new ErrnoException("close(" + fd + ")", e.getErrorCode());
    }
  }

  /** ioctl with a pointer argument; returns the ioctl's non-negative result. */
  static int ioctl(int fd, String name, long request, Memory arg) {
    try {
      return C.INSTANCE.ioctl(fd, request, arg);
    } catch (LastErrorException e) {
      throw new ErrnoException(name, e.getErrorCode());
    }
  }

  /** ioctl with a value argument (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU). */
  static int ioctl(int fd, String name, long request, long value) {
    try {
      return C.INSTANCE.ioctl(fd, request, value);
    } catch (LastErrorException e) {
      throw new ErrnoException(name, e.getErrorCode());
    }
  }

  /** Anonymous, page-aligned, zeroed memory, read-write. */
  static Pointer mmapAnonymous(long length) {
    try {
      return C.INSTANCE.mmap(null, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    } catch (LastErrorException e) {
      throw new ErrnoException("mmap(anonymous, " + length + ")", e.getErrorCode());
    }
  }

  /** A shared mapping of a device file region, e.g. a VFIO device's BAR at its region offset. */
  static Pointer mmapDevice(int fd, long length, long offset) {
    try {
      return C.INSTANCE.mmap(null, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
    } catch (LastErrorException e) {
      throw new ErrnoException("mmap(fd " + fd + ", offset 0x" + Long.toHexString(offset) + ")", e.getErrorCode());
    }
  }

  static void munmap(Pointer address, long length) {
    try {
      C.INSTANCE.munmap(address, length);
    } catch (LastErrorException e) {
      throw new ErrnoException("munmap", e.getErrorCode());
    }
  }

  /** Reads exactly {@code count} bytes (1, 2, 4 or 8: one device access) at {@code offset}, little-endian. */
  static long pread(int fd, int count, long offset) {
    Memory m = new Memory(8);
    m.clear();
    try {
      long n = C.INSTANCE.pread(fd, m, count, offset);
      if (n != count) {
        throw new ErrnoException("pread(" + count + " bytes at 0x" + Long.toHexString(offset) + ") returned " + n, 0);
      }
    } catch (LastErrorException e) {
      throw new ErrnoException("pread(fd " + fd + ", 0x" + Long.toHexString(offset) + ")", e.getErrorCode());
    }
    return m.getLong(0);
  }

  /** Writes the low {@code count} bytes (1, 2, 4 or 8: one device access) of {@code value} at {@code offset}. */
  static void pwrite(int fd, int count, long offset, long value) {
    Memory m = new Memory(8);
    m.setLong(0, value);
    try {
      long n = C.INSTANCE.pwrite(fd, m, count, offset);
      if (n != count) {
        throw new ErrnoException("pwrite(" + count + " bytes at 0x" + Long.toHexString(offset) + ") returned " + n, 0);
      }
    } catch (LastErrorException e) {
      throw new ErrnoException("pwrite(fd " + fd + ", 0x" + Long.toHexString(offset) + ")", e.getErrorCode());
    }
  }

  /** Zeroed native memory of {@code size} bytes whose first u32 is {@code size} (argsz / size of every struct). */
  static Memory struct(int size) {
    Memory m = new Memory(size);
    m.clear();
    m.setInt(0, size);
    return m;
  }
}
