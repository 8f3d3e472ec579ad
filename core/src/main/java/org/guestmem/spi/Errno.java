package org.guestmem.spi;

/** The Linux errno values the VFIO and iommufd ioctls return (x86_64 numbering). */
public enum Errno {
  EPERM(1),
  ENOENT(2),
  EINTR(4),
  EIO(5),
  ENXIO(6),
  E2BIG(7),
  EBADF(9),
  EAGAIN(11),
  ENOMEM(12),
  EACCES(13),
  EFAULT(14),
  EBUSY(16),
  EEXIST(17),
  ENODEV(19),
  EINVAL(22),
  ENOTTY(25),
  ENOSPC(28),
  ERANGE(34),
  EOVERFLOW(75),
  EBADFD(77),
  EMSGSIZE(90),
  EOPNOTSUPP(95),
  EADDRINUSE(98);

  private final int number;

  Errno(int number) {
    this.number = number;
  }

  /** The positive errno number. */
  public int number() {
    return number;
  }

  /** The constant for {@code number}, or null if it is not one of these. */
  public static Errno of(int number) {
    for (Errno e : values()) {
      if (e.number == number) {
        return e;
      }
    }
    return null;
  }
}
