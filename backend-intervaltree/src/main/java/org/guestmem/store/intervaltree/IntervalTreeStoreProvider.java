package org.guestmem.store.intervaltree;

import org.guestmem.spi.TwoStateStoreProvider;

/**
 * Provider {@code "intervaltree"}: a store whose memory follows the number of runs, not the number of blocks (about
 * 3 bytes per run for sparse layouts, at most about 1.2 bits per block where the layout is dense). Two states per
 * store, like the bitmap store; the manager composes two binary sources into three states. No options.
 */
public final class IntervalTreeStoreProvider extends TwoStateStoreProvider {

  public IntervalTreeStoreProvider() {
    super("intervaltree", IntervalTreeStateStore::new);
  }
}
