package org.guestmem.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The libc calls the VFIO and iommufd back-ends need besides {@code ioctl}: {@code open}, {@code close},
 * {@code mmap}, {@code munmap}, and for file-backed memory {@code memfd_create} and {@code ftruncate}. Every call
 * reports failure as {@link LastErrorException} carrying {@code errno}.
 *
 * <p>{@code ioctl} is not here but in {@link Ioctl}, bound by JNA's direct mapping: it is on every map and unmap, and
 * an interface-mapped call such as these allocates its arguments on every call.
 */
public interface LinuxLibc extends Library {
  /** {@code open} flag: read and write. */
  int O_RDWR = 0x2;
  /** {@code open} flag: close the descriptor on {@code exec}, so no child process inherits it. */
  int O_CLOEXEC = 0x80000;
  /** {@code mmap} protection: the pages may be read. */
  int PROT_READ = 0x1;
  /** {@code mmap} protection: the pages may be written. */
  int PROT_WRITE = 0x2;
  /** {@code mmap} flag: writes go to the file, and every mapping of it sees them. */
  int MAP_SHARED = 0x01;
  /** {@code mmap} flag: a copy-on-write mapping private to this process. */
  int MAP_PRIVATE = 0x02;
  /** {@code mmap} flag: memory not backed by a file ({@code fd} -1). */
  int MAP_ANONYMOUS = 0x20;
  /** {@code mmap} flag: reserve no swap space, so a large mapping costs nothing until touched. */
  int MAP_NORESERVE = 0x4000;
  /** {@code memfd_create} flag: close the descriptor on {@code exec}. */
  int MFD_CLOEXEC = 0x1;

  /**
   * The libc instance, loaded on first use (so that merely loading the back-end classes needs no libc).
   *
   * @return the shared binding
   */
  static LinuxLibc get() {
    return Holder.INSTANCE;
  }

  /**
   * {@code open(2)}.
   *
   * @param path the file to open
   * @param flags the {@code O_*} flags
   * @return the new descriptor
   * @throws LastErrorException with {@code errno} on failure
   */
  int open(String path, int flags) throws LastErrorException;

  /**
   * {@code close(2)}.
   *
   * @param fd the descriptor to close
   * @return 0
   * @throws LastErrorException with {@code errno} on failure
   */
  int close(int fd) throws LastErrorException;

  /**
   * {@code mmap(2)}.
   *
   * @param addr the address hint, or null to let the kernel choose
   * @param length the length in bytes
   * @param prot the {@code PROT_*} bits
   * @param flags the {@code MAP_*} bits
   * @param fd the file to map, or -1 with {@link #MAP_ANONYMOUS}
   * @param offset the offset in the file, a multiple of the page size
   * @return the start of the mapping
   * @throws LastErrorException with {@code errno} on failure
   */
  Pointer mmap(Pointer addr, NativeLong length, int prot, int flags, int fd, NativeLong offset)
      throws LastErrorException;

  /**
   * {@code munmap(2)}.
   *
   * @param addr the start of the range, page-aligned
   * @param length the length in bytes
   * @return 0
   * @throws LastErrorException with {@code errno} on failure
   */
  int munmap(Pointer addr, NativeLong length) throws LastErrorException;

  /**
   * {@code memfd_create(2)}: an anonymous file in memory, which iommufd can map by descriptor.
   *
   * @param name the name shown in {@code /proc/self/fd}, for debugging only
   * @param flags the {@code MFD_*} flags
   * @return the new descriptor
   * @throws LastErrorException with {@code errno} on failure
   */
  int memfd_create(String name, int flags) throws LastErrorException;

  /**
   * {@code ftruncate(2)}: sets the file's size.
   *
   * @param fd the file
   * @param length the new size in bytes
   * @return 0
   * @throws LastErrorException with {@code errno} on failure
   */
  int ftruncate(int fd, NativeLong length) throws LastErrorException;

  /** Lazy holder. */
  final class Holder {
    private Holder() {}

    static final LinuxLibc INSTANCE = Native.load("c", LinuxLibc.class);
  }
}
