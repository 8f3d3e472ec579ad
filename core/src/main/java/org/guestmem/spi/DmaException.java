package org.guestmem.spi;

/**
 * A DMA ioctl failed. Carries the ioctl's name as the kernel header spells it, the errno, and the arguments, so that
 * the message alone says what was asked and what the kernel refused.
 */
public class DmaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String ioctl;
  private final int errno;
  private final String arguments;

  /**
   * @param ioctl the ioctl name, e.g. {@code VFIO_IOMMU_MAP_DMA}
   * @param errno the positive errno number
   * @param arguments the arguments, e.g. {@code iova=0x1000 size=0x2000}
   * @param reason why the kernel (or the model of it) refused, in words
   */
  public DmaException(String ioctl, int errno, String arguments, String reason) {
    super(ioctl + "(" + arguments + ") failed: " + errnoName(errno) + " (" + errno + ")"
        + (reason == null || reason.isEmpty() ? "" : ": " + reason));
    this.ioctl = ioctl;
    this.errno = errno;
    this.arguments = arguments;
  }

  /** Convenience for a known errno. */
  public DmaException(String ioctl, Errno errno, String arguments, String reason) {
    this(ioctl, errno.number(), arguments, reason);
  }

  private static String errnoName(int errno) {
    Errno e = Errno.of(errno);
    return e == null ? "errno " + errno : e.name();
  }

  /** The ioctl that failed. */
  public String ioctl() {
    return ioctl;
  }

  /** The positive errno number. */
  public int errno() {
    return errno;
  }

  /** The errno as a constant, or null if it is not one {@link Errno} names. */
  public Errno errnoConstant() {
    return Errno.of(errno);
  }

  /** The arguments of the failed call. */
  public String arguments() {
    return arguments;
  }
}
