package org.guestmem.workload;

import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionResult;

/** What one operation of a workload or trace does to a region. */
public enum OpKind {
  /** Convert to shared (guest_memfd attribute; QEMU's "populated"). */
  SHARE,
  /** Convert to private (QEMU's "discarded"). */
  PRIVATE,
  /** Plug (the region's virtio-mem-like plug source). */
  PLUG,
  /** Unplug. */
  UNPLUG;

  /** {@return whether this operation needs a region with a plug source} */
  public boolean needsPlugSource() {
    return this == PLUG || this == UNPLUG;
  }

  /**
   * Applies this operation to {@code region} over {@code [offset, offset + length)}.
   *
   * @param region the region
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes
   * @return what the conversion did
   * @throws IllegalArgumentException if the range is bad for the region (see {@link AttributeManager#convert})
   * @throws IllegalStateException for {@link #PLUG}/{@link #UNPLUG} on a region without a plug source
   * @throws org.guestmem.region.ConversionException if a listener refused (the change was undone)
   */
  public ConversionResult applyTo(AttributeManager region, long offset, long length) {
    return switch (this) {
      case SHARE -> region.share(offset, length);
      case PRIVATE -> region.makePrivate(offset, length);
      case PLUG -> region.plug(offset, length);
      case UNPLUG -> region.unplug(offset, length);
    };
  }
}
