package org.guestmem.spi;

/**
 * A DMA ioctl failed. Carries the ioctl's name as the kernel header spells it, the errno, and the arguments, so that
 * the message alone says what was asked and what the kernel refused ({@link IoctlException}).
 */
public class DmaException extends IoctlException {
  private static final long serialVersionUID = 1L;

  /**
   * @param ioctl the ioctl name, e.g. {@code VFIO_IOMMU_MAP_DMA}
   * @param errno the positive errno number
   * @param arguments the arguments, e.g. {@code iova=0x1000 size=0x2000}
   * @param reason why the kernel (or the model of it) refused, in words
   */
  public DmaException(String ioctl, int errno, String arguments, String reason) {
    super(ioctl, errno, arguments, "", reason);
  }

  /**
   * Convenience for a known errno.
   *
   * @param ioctl the ioctl name, e.g. {@code VFIO_IOMMU_MAP_DMA}
   * @param errno the errno
   * @param arguments the arguments, e.g. {@code iova=0x1000 size=0x2000}
   * @param reason why the kernel (or the model of it) refused, in words
   */
  public DmaException(String ioctl, Errno errno, String arguments, String reason) {
    this(ioctl, errno.number(), arguments, reason);
  }
}
