package org.guestmem.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * {@code ioctl(2)} bound by JNA's direct mapping. Every argument is a primitive, so a call allocates nothing: an
 * interface-mapped call ({@link LinuxLibc}) builds an argument array, boxes each argument and wraps the request in a
 * {@code NativeLong}, some 120 bytes a call, which the DMA back-ends pay on every map and unmap.
 *
 * <p>{@code ioctl} is variadic in C; this fixed-arity form passes the third argument (a pointer's address or a value
 * such as {@code VFIO_TYPE1v2_IOMMU}) in the register the kernel reads it from on x86_64 and aarch64, and the
 * request, an {@code unsigned long}, as a 64-bit {@code long}, which is its size on both (LP64). Registered when
 * first called, so that merely loading the back-end classes needs no libc.
 */
final class NativeIoctl {
  static {
    Native.register(NativeIoctl.class, "c");
  }

  private NativeIoctl() {}

  /**
   * {@code ioctl(fd, request, arg)}.
   *
   * @param fd the descriptor the ioctl is issued on
   * @param request the request number
   * @param arg the argument: the address of the argument memory, or a value
   * @return the ioctl's non-negative return value
   * @throws LastErrorException with {@code errno} on failure
   */
  static native int ioctl(int fd, long request, long arg) throws LastErrorException;
}
