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

  /** {@code ioctl(fd, request, pointer)} for arguments that are not one struct (a buffer, an {@code int32_t*}). */
  public static int callPointer(int fd, long request, String name, Pointer arg, String arguments) {
    try {
      return LinuxLibc.get().ioctl(fd, new NativeLong(request), arg);
    } catch (LastErrorException e) {
      throw new DmaException(name, e.getErrorCode(), arguments, "");
    }
  }

  /** {@code ioctl(fd, request, value)} for ioctls that take a value, e.g. {@code VFIO_SET_IOMMU}. */
  public static int callValue(int fd, long request, String name, long value) {
    try {
      return LinuxLibc.get().ioctl(fd, new NativeLong(request), new NativeLong(value));
    } catch (LastErrorException e) {
      throw new DmaException(name, e.getErrorCode(), "value=" + value, "");
    }
  }

  /** Opens {@code path} read-write, close-on-exec. */
  public static int open(String path, String purpose) {
    try {
      return LinuxLibc.get().open(path, LinuxLibc.O_RDWR | LinuxLibc.O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new DmaException("open", e.getErrorCode(), path, purpose);
    }
  }

  /** Closes {@code fd}, ignoring a negative one. */
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
