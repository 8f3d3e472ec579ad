package org.guestmem.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The libc calls the VFIO and iommufd back-ends need: {@code open}, {@code close}, {@code ioctl}, {@code mmap},
 * {@code munmap}, and for file-backed memory {@code memfd_create} and {@code ftruncate}. jna-platform's
 * {@code LibC} has no {@code ioctl}, hence this binding. Every call reports failure as
 * {@link LastErrorException} carrying {@code errno}.
 *
 * <p>{@code ioctl} is variadic in C; the two fixed-arity forms here (a pointer, or a value for
 * {@code VFIO_CHECK_EXTENSION} and {@code VFIO_SET_IOMMU}) pass the third argument in the same register on x86_64
 * and aarch64, which is what the kernel reads.
 */
public interface LinuxLibc extends Library {
  int O_RDWR = 0x2;
  int O_CLOEXEC = 0x80000;
  int PROT_READ = 0x1;
  int PROT_WRITE = 0x2;
  int MAP_SHARED = 0x01;
  int MAP_PRIVATE = 0x02;
  int MAP_ANONYMOUS = 0x20;
  int MAP_NORESERVE = 0x4000;
  int MFD_CLOEXEC = 0x1;

  /** The libc instance, loaded on first use (so that merely loading the back-end classes needs no libc). */
  static LinuxLibc get() {
    return Holder.INSTANCE;
  }

  int open(String path, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

  int ioctl(int fd, NativeLong request, NativeLong value) throws LastErrorException;

  Pointer mmap(Pointer addr, NativeLong length, int prot, int flags, int fd, NativeLong offset)
      throws LastErrorException;

  int munmap(Pointer addr, NativeLong length) throws LastErrorException;

  int memfd_create(String name, int flags) throws LastErrorException;

  int ftruncate(int fd, NativeLong length) throws LastErrorException;

  /** Lazy holder. */
  final class Holder {
    private Holder() {}

    static final LinuxLibc INSTANCE = Native.load("c", LinuxLibc.class);
  }
}
