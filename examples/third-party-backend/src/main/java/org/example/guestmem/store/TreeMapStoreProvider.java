package org.example.guestmem.store;

import org.guestmem.spi.TwoStateStoreProvider;

/**
 * The provider of {@link TreeMapStore}, named {@code treemap}. {@link TwoStateStoreProvider} checks the arguments of
 * {@code create} the way every guestmem store does and refuses options.
 */
public final class TreeMapStoreProvider extends TwoStateStoreProvider {
  /** The name configuration selects this store by. */
  public static final String NAME = "treemap";

  /** For {@link java.util.ServiceLoader}. */
  public TreeMapStoreProvider() {
    super(NAME, TreeMapStore::new);
  }
}
