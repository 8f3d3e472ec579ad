package org.guestmem.store.bitmap;

import org.guestmem.spi.TwoStateStoreProvider;

/**
 * Provider {@code "bitmap"}: one bit per block, QEMU's {@code RamBlockAttributes} layout with 64-bit indices. Two
 * states per store; three states are the manager's composition of two binary sources. No options.
 */
public final class BitmapStoreProvider extends TwoStateStoreProvider {

  /** Called by {@link java.util.ServiceLoader}. */
  public BitmapStoreProvider() {
    super("bitmap", BitmapStateStore::new);
  }
}
