package org.guestmem.store.intervaltree;

import java.util.Map;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;
import org.guestmem.spi.StoreArguments;

/**
 * Provider {@code "intervaltree"}: a store whose memory follows the number of runs, not the number of blocks (about
 * 3 bytes per run for sparse layouts, at most about 1.2 bits per block where the layout is dense). Two states per
 * store, like the bitmap store; the manager composes two binary sources into three states. No options.
 */
public final class IntervalTreeStoreProvider implements StateStoreProvider {

  @Override
  public String name() {
    return "intervaltree";
  }

  @Override
  public int maxStates() {
    return 2;
  }

  @Override
  public StateStore create(long blocks, int states, int initialState, Map<String, String> options) {
    StoreArguments.checkCreate(name(), blocks, states, maxStates(), initialState);
    StoreArguments.checkNoOptions(name(), options);
    return new IntervalTreeStateStore(blocks, initialState);
  }
}
