package org.guestmem.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import org.guestmem.spi.DmaException;

/** Issues ioctls and turns a failure into a {@link DmaException} naming the ioctl, the errno and the arguments. */
public final class Ioctl {
  private Ioctl() {}

  /**
   * {@code ioctl(fd, request, &s)}: writes {@code s}, calls, reads {@code s} back (also on failure, since some
   * ioctls write results before failing, e.g. {@code IOMMU_IOAS_IOVA_RANGES} with EMSGSIZE).
   *
   * @param fd the descriptor the ioctl is issued on
   * @param request the request number (linux-uapi-facts.md 1.2)
   * @param name the ioctl's name as the kernel header spells it, for the exception
   * @param s the argument struct
   * @param arguments the arguments in words, for the exception
   * @return the ioctl's non-negative return value
   * @throws DmaException with the kernel's errno when the ioctl fails
   */
  public static int call(int fd, long request, String name, Structure s, String arguments) {
    s.write();
    try {
      return LinuxLibc.get().ioctl(fd, new NativeLong(request), s.getPointer());
    } catch (LastErrorException e) {
      throw new DmaException(name, e.getErrorCode(), arguments, "");
    } finally {
      s.read();
    }
  }

  /**
   * {@code ioctl(fd, request, pointer)} for arguments that are not one struct (a buffer, an {@code int32_t*}).
   *
   * @param fd the descriptor the ioctl is issued on
   * @param request the request number (linux-uapi-facts.md 1.2)
   * @param name the ioctl's name as the kernel header spells it, for the exception
   * @param arg the argument memory, read and written by the kernel
   * @param arguments the arguments in words, for the exception
   * @return the ioctl's non-negative return value
   * @throws DmaException with the kernel's errno when the ioctl fails
   */
  public static int callPointer(int fd, long request, String name, Pointer arg, String arguments) {
    try {
      return LinuxLibc.get().ioctl(fd, new NativeLong(request), arg);
    } catch (LastErrorException e) {
      throw new DmaException(name, e.getErrorCode(), arguments, "");
    }
  }

  /**
   * {@code ioctl(fd, request, value)} for ioctls that take a value, e.g. {@code VFIO_SET_IOMMU}.
   *
   * @param fd the descriptor the ioctl is issued on
   * @param request the request number (linux-uapi-facts.md 1.2)
   * @param name the ioctl's name as the kernel header spells it, for the exception
   * @param value the argument, passed by value
   * @return the ioctl's non-negative return value (e.g. {@code VFIO_CHECK_EXTENSION}'s answer)
   * @throws DmaException with the kernel's errno when the ioctl fails
   */
  public static int callValue(int fd, long request, String name, long value) {
    try {
      return LinuxLibc.get().ioctl(fd, new NativeLong(request), new NativeLong(value));
    } catch (LastErrorException e) {
      throw new DmaException(name, e.getErrorCode(), "value=" + value, "");
    }
  }

  /**
   * Opens {@code path} read-write, close-on-exec.
   *
   * @param path the device node, e.g. {@code /dev/vfio/vfio}
   * @param purpose what the file is, in words, for the exception (e.g. {@code "the VFIO container"})
   * @return the new descriptor
   * @throws DmaException named {@code open} with the errno when the file cannot be opened
   */
  public static int open(String path, String purpose) {
    try {
      return LinuxLibc.get().open(path, LinuxLibc.O_RDWR | LinuxLibc.O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new DmaException("open", e.getErrorCode(), path, purpose);
    }
  }

  /**
   * Closes {@code fd}, ignoring a negative one.
   *
   * @param fd the descriptor to close, or a negative value for none
   * @throws DmaException named {@code close} with the errno when {@code close} fails
   */
  public static void close(int fd) {
    if (fd >= 0) {
      try {
        LinuxLibc.get().close(fd);
      } catch (LastErrorException e) {
        throw new DmaException("close", e.getErrorCode(), "fd=" + fd, "");
      }
    }
  }
}
