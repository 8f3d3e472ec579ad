package org.guestmem.conformance;

import java.util.BitSet;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider;
import org.guestmem.spi.MemoryAttributeCapabilities;
import org.guestmem.spi.MemoryAttributeException;

/**
 * The reference model of a memory-attribute back-end for small test regions: one bit per 4 KiB page, the simplest
 * thing that is obviously right (a test oracle, like {@link ModelStore}; never used on a large region). Optionally
 * refuses to make pinned pages private with EAGAIN and the first pinned page's offset, as guest_memfd does.
 */
public final class ModelMemoryAttributes implements MemoryAttributeBackend {
  static final long PAGE = 4096;

  /** Providers of the model, with and without the pin check. */
  public static MemoryAttributeBackendProvider provider(boolean refusesPinned) {
    return new MemoryAttributeBackendProvider() {
      @Override
      public String name() {
        return refusesPinned ? "model-guest-memfd" : "model-vm-attributes";
      }

      @Override
      public MemoryAttributeBackend open(Region region) {
        return new ModelMemoryAttributes(region, refusesPinned);
      }
    };
  }

  private final MemoryAttributeBackendProvider.Region region;
  private final boolean refusesPinned;
  private final BitSet shared = new BitSet();

  public ModelMemoryAttributes(MemoryAttributeBackendProvider.Region region, boolean refusesPinned) {
    this.region = region;
    this.refusesPinned = refusesPinned;
  }

  @Override
  public String name() {
    return refusesPinned ? "model-guest-memfd" : "model-vm-attributes";
  }

  @Override
  public MemoryAttributeCapabilities capabilities() {
    return new MemoryAttributeCapabilities(refusesPinned ? "KVM_SET_MEMORY_ATTRIBUTES2" : "KVM_SET_MEMORY_ATTRIBUTES",
        "none", PAGE, refusesPinned, false, "reference model (tests only)");
  }

  @Override
  public void convert(long offset, long length, boolean toShared) {
    String args = String.format("offset=0x%x size=0x%x", offset, length);
    if (length <= 0 || offset < 0 || offset % PAGE != 0 || length % PAGE != 0 || offset + length > region.size()) {
      throw new MemoryAttributeException(capabilities().ioctl(), Errno.EINVAL, args, -1, -1, "bad range");
    }
    if (refusesPinned && !toShared) {
      long pinned = region.pins().firstPinned(region.hostAddress() + offset, length);
      if (pinned >= 0) {
        long page = (pinned - region.hostAddress()) / PAGE * PAGE;
        throw new MemoryAttributeException(capabilities().ioctl(), Errno.EAGAIN, args, region.fileOffset() + page,
            page, "pinned");
      }
    }
    shared.set((int) (offset / PAGE), (int) ((offset + length) / PAGE), toShared);
  }

  @Override
  public boolean isUniform(long offset, long length, boolean isShared) {
    int from = (int) (offset / PAGE);
    int to = (int) ((offset + length + PAGE - 1) / PAGE);
    int other = isShared ? shared.nextClearBit(from) : shared.nextSetBit(from);
    return other < 0 || other >= to;
  }

  @Override
  public void close() {
    shared.clear();
  }
}
