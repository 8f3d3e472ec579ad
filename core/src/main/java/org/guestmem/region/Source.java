package org.guestmem.region;

/**
 * An attribute of the region kept in its own {@link org.guestmem.spi.StateStore}: QEMU 11.1's
 * {@code RamDiscardSource}. A block is populated for listeners when every source of the region says so.
 */
public enum Source {
  /** The guest_memfd attribute: 1 = shared, 0 = private. Every block starts private, as in QEMU. */
  GUEST_MEMFD("shared", "private"),
  /** The plug attribute of a virtio-mem-like device: 1 = plugged, 0 = unplugged. */
  PLUG("plugged", "unplugged");

  private final String populatedName;
  private final String discardedName;

  Source(String populatedName, String discardedName) {
    this.populatedName = populatedName;
    this.discardedName = discardedName;
  }

  /** {@return the word for a block this source calls populated ("shared", "plugged")} */
  public String populatedName() {
    return populatedName;
  }

  /** {@return the word for a block this source calls discarded ("private", "unplugged")} */
  public String discardedName() {
    return discardedName;
  }
}
