package org.guestmem.spi;

/** The Linux errno values the VFIO and iommufd ioctls return (x86_64 numbering). */
public enum Errno {
  /** Operation not permitted: a capability is missing (e.g. {@code CAP_SYS_RESOURCE} for an iommufd option). */
  EPERM(1),
  /** No such object: an unknown iommufd id, or an iommufd unmap that would cut a mapping. */
  ENOENT(2),
  /** Interrupted by a signal. */
  EINTR(4),
  /** I/O error. */
  EIO(5),
  /** No such device or address. */
  ENXIO(6),
  /** An iommufd struct {@code size} larger than the kernel's whose extra bytes are not zero. */
  E2BIG(7),
  /** Not an open file descriptor. */
  EBADF(9),
  /** Try again: guest_memfd refuses to make a pinned page private. */
  EAGAIN(11),
  /** Out of memory, or past the locked-memory limit ({@code RLIMIT_MEMLOCK}). */
  ENOMEM(12),
  /** Permission denied. */
  EACCES(13),
  /** A bad user address (the kernel could not read, write or pin it). */
  EFAULT(14),
  /** The object is in use. */
  EBUSY(16),
  /** The range overlaps an existing mapping. */
  EEXIST(17),
  /** No such device, or no IOMMU driver accepts the type. */
  ENODEV(19),
  /** An invalid argument: misalignment, a zero length, unknown flags, a type1v2 unmap that would cut. */
  EINVAL(22),
  /** The file does not know the ioctl. */
  ENOTTY(25),
  /** No entry left: past type1's {@code dma_entry_limit}, or no room for an IOVA the kernel picks. */
  ENOSPC(28),
  /** A value out of range. */
  ERANGE(34),
  /** The range wraps past the top of the 64-bit space. */
  EOVERFLOW(75),
  /** A descriptor in a bad state: neither a VFIO container nor an iommufd. */
  EBADFD(77),
  /** The output array is too small; the count needed was written back. */
  EMSGSIZE(90),
  /** Not supported: unknown iommufd flags, or non-zero reserved fields. */
  EOPNOTSUPP(95),
  /** The IOVA range covers a reserved region. */
  EADDRINUSE(98);

  private final int number;

  Errno(int number) {
    this.number = number;
  }

  /** {@return the positive errno number} */
  public int number() {
    return number;
  }

  /**
   * {@return the constant for {@code number}, or null if it is not one of these}
   *
   * @param number a positive errno number
   */
  public static Errno of(int number) {
    for (Errno e : values()) {
      if (e.number == number) {
        return e;
      }
    }
    return null;
  }
}
