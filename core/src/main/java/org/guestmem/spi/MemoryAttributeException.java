package org.guestmem.spi;

import java.util.OptionalLong;

/**
 * A memory-attribute ioctl failed (KVM refused a conversion). Carries the ioctl's name as the kernel header spells
 * it, the errno, the arguments and, for {@code EAGAIN} from the guest_memfd ioctl, the {@code error_offset} the
 * kernel reports: the first page in the range that still had an extra reference. Nothing changed when this is
 * thrown: the kernel checks everything before its point of no return (docs/kvm-attributes.md).
 */
public class MemoryAttributeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String ioctl;
  private final int errno;
  private final String arguments;
  private final long errorOffset;
  private final long errorRegionOffset;

  /**
   * @param ioctl e.g. {@code KVM_SET_MEMORY_ATTRIBUTES2}
   * @param errno the positive errno
   * @param arguments the arguments, e.g. {@code offset=0x1000 size=0x2000 attributes=0x8}
   * @param errorOffset the kernel's {@code error_offset} (a guest_memfd file offset), or -1 when it reports none
   * @param errorRegionOffset the same page as a region offset, or -1
   * @param reason why, in words
   */
  public MemoryAttributeException(String ioctl, Errno errno, String arguments, long errorOffset,
      long errorRegionOffset, String reason) {
    super(ioctl + "(" + arguments + ") failed: " + errno.name() + " (" + errno.number() + ")"
        + (errorOffset >= 0 ? String.format(", error_offset=0x%x", errorOffset) : "")
        + (reason == null || reason.isEmpty() ? "" : ": " + reason));
    this.ioctl = ioctl;
    this.errno = errno.number();
    this.arguments = arguments;
    this.errorOffset = errorOffset;
    this.errorRegionOffset = errorRegionOffset;
  }

  /** The ioctl that failed. */
  public String ioctl() {
    return ioctl;
  }

  /** The positive errno. */
  public int errno() {
    return errno;
  }

  /** The errno as a constant, or null when {@link Errno} does not name it. */
  public Errno errnoConstant() {
    return Errno.of(errno);
  }

  /** The arguments of the failed call. */
  public String arguments() {
    return arguments;
  }

  /** The kernel's {@code error_offset} (file offset of the first page in use), when it reported one. */
  public OptionalLong errorOffset() {
    return errorOffset < 0 ? OptionalLong.empty() : OptionalLong.of(errorOffset);
  }

  /** {@link #errorOffset()} as an offset into the region the back-end serves, when reported. */
  public OptionalLong errorRegionOffset() {
    return errorRegionOffset < 0 ? OptionalLong.empty() : OptionalLong.of(errorRegionOffset);
  }
}
