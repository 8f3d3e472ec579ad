package org.guestmem.store.intervaltree;

import org.guestmem.spi.TwoStateStoreProvider;

/**
 * Provider {@code "intervaltree"}: a store whose memory follows the number of runs, not the number of blocks, and
 * stays near one bit per block where the layout is dense (the README gives the figures). Two
 * states per store, like the bitmap store; the manager composes two binary sources into three states. No options.
 *
 * <p>The store is a sorted array of bit-packed run leaves and bitmap leaves, not a tree; the provider keeps the name
 * {@code intervaltree} so that existing configurations still select it. It has no second name: a provider has
 * exactly one {@link #name()}, and an alias would take a second registered provider that every listing of the
 * stores found would show as another store.
 *
 * <p>Thread-safe (it holds no state); the stores it creates are not.
 */
public final class PackedRunStoreProvider extends TwoStateStoreProvider {

  /** The provider, for {@link java.util.ServiceLoader}. */
  public PackedRunStoreProvider() {
    super("intervaltree", PackedRunStateStore::new);
  }
}
