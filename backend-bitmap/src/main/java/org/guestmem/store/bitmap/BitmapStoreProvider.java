package org.guestmem.store.bitmap;

import java.util.Map;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

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
    if (states != 2) {
      throw new IllegalArgumentException(
          "the bitmap store holds exactly 2 states, not " + states + "; compose two stores for more");
    }
    if (!options.isEmpty()) {
      throw new IllegalArgumentException("the bitmap store takes no options, got " + options.keySet());
    }
    if (initialState != 0 && initialState != 1) {
      throw new IllegalArgumentException("initial state " + initialState + " is not 0 or 1");
    }
    return new BitmapStateStore(blocks, initialState);
  }
}
