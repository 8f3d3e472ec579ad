package org.guestmem.kvm;

import org.guestmem.region.RunSet;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider.Region;
import org.guestmem.spi.MemoryAttributeCapabilities;
import org.guestmem.spi.MemoryAttributeException;

/**
 * What both KVM models share: the run-based attribute state of one region, the range checks, and the order every
 * conversion follows: every check first, then the change, so that a refused call changes nothing (the kernel's
 * "point of no return", docs/kvm-attributes.md section 3). Not thread-safe (the region's lock serializes calls).
 */
abstract class EmbeddedAttributes implements MemoryAttributeBackend {
  /** KVM_MEMORY_ATTRIBUTE_PRIVATE: bit 3 of {@code attributes} (docs/kvm-attributes.md section 1). */
  static final long ATTRIBUTE_PRIVATE = 1L << 3;
  static final long PAGE = 4096;
  static final String MODEL_ONLY = "embedded model; real KVM is not available on these machines";

  final Region region;
  /** The shared bytes; the rest is private. */
  private final RunSet shared = new RunSet();
  private boolean closed;

  EmbeddedAttributes(Region region) {
    this.region = region;
  }

  /** The kernel's address of region offset {@code offset}: a file offset or a guest-physical address. */
  abstract long kernelAddress(long offset);

  /** The argument line of a call, in the kernel struct's field names. */
  abstract String arguments(long offset, long length, boolean toShared);

  /** Refusals the ABI adds after the range checks (pins, content modes), or nothing. */
  abstract void checkMore(long offset, long length, boolean toShared);

  @Override
  public final void convert(long offset, long length, boolean toShared) {
    checkOpen();
    checkRange(offset, length, toShared);
    checkMore(offset, length, toShared);
    // Point of no return: nothing below can fail.
    if (toShared) {
      shared.add(offset, offset + length);
    } else {
      shared.remove(offset, offset + length);
    }
  }

  @Override
  public final boolean isUniform(long offset, long length, boolean isShared) {
    checkOpen();
    if (offset < 0 || length <= 0 || offset + length > region.size() || offset + length < 0) {
      throw new IllegalArgumentException(String.format("range [0x%x, +0x%x) is outside the region of size 0x%x",
          offset, length, region.size()));
    }
    return isShared ? shared.containsAll(offset, offset + length) : shared.containsNone(offset, offset + length);
  }

  /** {@return the runs of shared memory the model keeps (its memory follows them)} */
  public final int sharedRuns() {
    return shared.size();
  }

  /**
   * EINVAL for a range the kernel rejects: size zero, not page-aligned, overflowing, or outside the region (the
   * guest_memfd file or the memslots). docs/kvm-attributes.md section 2, rules E1-E3.
   */
  private void checkRange(long offset, long length, boolean toShared) {
    String why = null;
    if (length == 0) {
      why = "size is zero";
    } else if ((offset & (PAGE - 1)) != 0 || (length & (PAGE - 1)) != 0) {
      why = "offset or size is not page aligned";
    } else if (offset < 0 || length < 0 || offset + length < 0
        || Long.compareUnsigned(kernelAddress(offset) + length, kernelAddress(offset)) < 0) {
      why = "the range overflows";
    } else if (offset + length > region.size()) {
      why = String.format("the range ends past the region's 0x%x bytes", region.size());
    }
    if (why != null) {
      throw refusal(Errno.EINVAL, offset, length, toShared, -1, why);
    }
  }

  final MemoryAttributeException refusal(Errno errno, long offset, long length, boolean toShared,
      long errorRegionOffset, String why) {
    long errorOffset = errorRegionOffset < 0 ? -1 : kernelAddress(errorRegionOffset);
    return new MemoryAttributeException(capabilities().ioctl(), errno, arguments(offset, length, toShared),
        errorOffset, errorRegionOffset, why);
  }

  static String attributes(boolean toShared) {
    return "attributes=0x" + Long.toHexString(toShared ? 0 : ATTRIBUTE_PRIVATE);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(name() + " is closed");
    }
  }

  @Override
  public void close() {
    closed = true;
    shared.clear();
  }

  @Override
  public String toString() {
    MemoryAttributeCapabilities caps = capabilities();
    return name() + "[" + caps.ioctl() + ", size=0x" + Long.toHexString(region.size()) + "]";
  }
}
