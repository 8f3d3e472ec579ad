package org.guestmem.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import org.guestmem.spi.DmaException;

/**
 * Issues ioctls and turns a failure into a {@link DmaException} naming the ioctl, the errno and the arguments. The
 * arguments are put in words only when the call fails ({@link Arguments}), and the ioctl itself is a JNA direct call
 * with primitive arguments, so a successful call with a struct that stores itself ({@link KernelStruct#store()})
 * allocates nothing.
 */
public final class Ioctl {
  private Ioctl() {}

  /**
   * An ioctl's arguments in words, asked for only when the ioctl fails: a successful call formats nothing.
   * Implemented by the structs of the map and unmap calls themselves, so a caller that reuses its struct passes no
   * new object per call.
   */
  @FunctionalInterface
  public interface Arguments {
    /** {@return the arguments as the exception names them, e.g. {@code iova=0x1000 size=0x2000}} */
    String describe();
  }

  /**
   * {@code ioctl(fd, request, &s)}: stores {@code s}, calls, loads {@code s} back (also on failure, since some
   * ioctls write results before failing, e.g. {@code IOMMU_IOAS_IOVA_RANGES} with EMSGSIZE).
   *
   * @param fd the descriptor the ioctl is issued on
   * @param request the request number (linux-uapi-facts.md 1.2)
   * @param name the ioctl's name as the kernel header spells it, for the exception
   * @param s the argument struct
   * @param arguments the arguments in words, for the exception; asked for before {@code s} is loaded back, so it
   *     sees the values passed in
   * @return the ioctl's non-negative return value
   * @throws DmaException with the kernel's errno when the ioctl fails
   */
  public static int call(int fd, long request, String name, KernelStruct s, Arguments arguments) {
    s.store();
    try {
      return NativeIoctl.ioctl(fd, request, Pointer.nativeValue(s.getPointer()));
    } catch (LastErrorException e) {
      throw new DmaException(name, e.getErrorCode(), arguments.describe(), "");
    } finally {
      s.load();
    }
  }

  /**
   * {@link #call(int, long, String, KernelStruct, Arguments)} with the arguments already in words, for the calls
   * made once (set-up, queries), where formatting them up front costs nothing that matters.
   *
   * @param fd the descriptor the ioctl is issued on
   * @param request the request number (linux-uapi-facts.md 1.2)
   * @param name the ioctl's name as the kernel header spells it, for the exception
   * @param s the argument struct
   * @param arguments the arguments in words, for the exception
   * @return the ioctl's non-negative return value
   * @throws DmaException with the kernel's errno when the ioctl fails
   */
  public static int call(int fd, long request, String name, KernelStruct s, String arguments) {
    return call(fd, request, name, s, () -> arguments);
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
      return NativeIoctl.ioctl(fd, request, Pointer.nativeValue(arg));
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
      return NativeIoctl.ioctl(fd, request, value);
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
