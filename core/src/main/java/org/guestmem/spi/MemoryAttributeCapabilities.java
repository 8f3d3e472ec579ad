package org.guestmem.spi;

import java.util.Objects;

/**
 * What a {@link MemoryAttributeBackend} applies conversions with.
 *
 * @param ioctl the ioctl a conversion is, e.g. {@code KVM_SET_MEMORY_ATTRIBUTES2} on a guest_memfd or
 *     {@code KVM_SET_MEMORY_ATTRIBUTES} on the VM
 * @param capability the {@code KVM_CAP_*} userspace checks to choose it
 * @param pageSize the size every range must be aligned to (the host page)
 * @param refusesPinned whether a conversion to private fails with {@code EAGAIN} while a page is pinned
 * @param realKernel true when ioctls go to a real KVM; false for an embedded model
 * @param description one line: which ABI, and which path (model or kernel) and why
 */
public record MemoryAttributeCapabilities(String ioctl, String capability, long pageSize, boolean refusesPinned,
    boolean realKernel, String description) {

  /**
   * Checks the components.
   *
   * @param ioctl the ioctl a conversion is, e.g. {@code KVM_SET_MEMORY_ATTRIBUTES2} on a guest_memfd or
   *     {@code KVM_SET_MEMORY_ATTRIBUTES} on the VM
   * @param capability the {@code KVM_CAP_*} userspace checks to choose it
   * @param pageSize the size every range must be aligned to (the host page)
   * @param refusesPinned whether a conversion to private fails with {@code EAGAIN} while a page is pinned
   * @param realKernel true when ioctls go to a real KVM; false for an embedded model
   * @param description one line: which ABI, and which path (model or kernel) and why
   * @throws IllegalArgumentException if {@code pageSize} is not a power of two of at least 4096
   * @throws NullPointerException if {@code ioctl}, {@code capability} or {@code description} is null
   */
  public MemoryAttributeCapabilities {
    Objects.requireNonNull(ioctl, "ioctl");
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(description, "description");
    if (pageSize < 4096 || Long.bitCount(pageSize) != 1) {
      throw new IllegalArgumentException("page size " + pageSize + " must be a power of two of at least 4096");
    }
  }
}
