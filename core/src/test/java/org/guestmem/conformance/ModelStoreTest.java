package org.guestmem.conformance;

import org.guestmem.spi.StateStoreProvider;

/** The reference model passes the store contract against the per-block array, so it can serve as the oracle. */
class ModelStoreTest implements StateStoreContract {
  @Override
  public StateStoreProvider provider() {
    return new ModelStoreProvider();
  }
}
