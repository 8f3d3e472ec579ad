package org.guestmem.spi;

import java.util.OptionalLong;

/**
 * A memory-attribute ioctl failed (KVM refused a conversion). Carries the ioctl's name as the kernel header spells
 * it, the errno, the arguments ({@link IoctlException}) and, for {@code EAGAIN} from the guest_memfd ioctl, the
 * {@code error_offset} the kernel reports: the first page in the range that still had an extra reference. Nothing
 * changed when this is thrown: the kernel checks everything before its point of no return (docs/kvm-attributes.md).
 */
public class MemoryAttributeException extends IoctlException {
  private static final long serialVersionUID = 1L;

  /** The kernel's {@code error_offset}, or -1 when it reported none. */
  private final long errorOffset;
  /** {@link #errorOffset} as a region offset, or -1. */
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
    super(ioctl, errno.number(), arguments,
        errorOffset >= 0 ? String.format(", error_offset=0x%x", errorOffset) : "", reason);
    this.errorOffset = errorOffset;
    this.errorRegionOffset = errorRegionOffset;
  }

  /** {@return the kernel's {@code error_offset} (file offset of the first page in use), when it reported one} */
  public OptionalLong errorOffset() {
    return errorOffset < 0 ? OptionalLong.empty() : OptionalLong.of(errorOffset);
  }

  /** {@return {@link #errorOffset()} as an offset into the region the back-end serves, when reported} */
  public OptionalLong errorRegionOffset() {
    return errorRegionOffset < 0 ? OptionalLong.empty() : OptionalLong.of(errorRegionOffset);
  }
}
