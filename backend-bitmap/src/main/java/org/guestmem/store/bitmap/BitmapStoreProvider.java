package org.guestmem.store.bitmap;

import java.util.Map;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;
import org.guestmem.spi.StoreArguments;

/**
 * Provider {@code "bitmap"}: one bit per block, QEMU's {@code RamBlockAttributes} layout with 64-bit indices. Two
 * states per store; three states are the manager's composition of two binary sources. No options.
 */
public final class BitmapStoreProvider implements StateStoreProvider {

  @Override
  public String name() {
    return "bitmap";
  }

  @Override
  public int maxStates() {
    return 2;
  }

  @Override
  public StateStore create(long blocks, int states, int initialState, Map<String, String> options) {
    StoreArguments.checkCreate(name(), blocks, states, maxStates(), initialState);
    StoreArguments.checkNoOptions(name(), options);
    return new BitmapStateStore(blocks, initialState);
  }
}
