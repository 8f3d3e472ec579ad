package org.guestmem.spi;

/**
 * An ioctl failed: the base of the exceptions back-ends throw for a call the kernel (or a model of it) refused.
 * Carries the ioctl's name as the kernel header spells it, the errno and the arguments, and builds one message
 * shape from them, {@code NAME(arguments) failed: ERRNO (number)[detail][: reason]}, so that the message alone says
 * what was asked and what was refused. Immutable.
 */
public abstract class IoctlException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The ioctl that failed. */
  private final String ioctl;
  /** The positive errno number. */
  private final int errno;
  /** The arguments of the failed call. */
  private final String arguments;

  /**
   * @param ioctl the ioctl name, e.g. {@code VFIO_IOMMU_MAP_DMA}
   * @param errno the positive errno number
   * @param arguments the arguments, e.g. {@code iova=0x1000 size=0x2000}
   * @param detail what the kernel reported besides the errno, already formatted (e.g. {@code , error_offset=0x0}),
   *     or empty
   * @param reason why the kernel (or the model of it) refused, in words; null or empty for none
   */
  protected IoctlException(String ioctl, int errno, String arguments, String detail, String reason) {
    super(ioctl + "(" + arguments + ") failed: " + errnoName(errno) + " (" + errno + ")" + detail
        + (reason == null || reason.isEmpty() ? "" : ": " + reason));
    this.ioctl = ioctl;
    this.errno = errno;
    this.arguments = arguments;
  }

  private static String errnoName(int errno) {
    Errno e = Errno.of(errno);
    return e == null ? "errno " + errno : e.name();
  }

  /** {@return the ioctl that failed} */
  public String ioctl() {
    return ioctl;
  }

  /** {@return the positive errno number} */
  public int errno() {
    return errno;
  }

  /** {@return the errno as a constant, or null if it is not one {@link Errno} names} */
  public Errno errnoConstant() {
    return Errno.of(errno);
  }

  /** {@return the arguments of the failed call} */
  public String arguments() {
    return arguments;
  }
}
