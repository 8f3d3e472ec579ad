package org.example.guestmem.store;

import org.guestmem.conformance.StateStoreContract;
import org.guestmem.spi.StateStoreProvider;

/** The state-store contract (ranges, runs, copies, bad arguments, randomized against a per-block array). */
class TreeMapStoreContractTest implements StateStoreContract {
  @Override
  public StateStoreProvider provider() {
    return new TreeMapStoreProvider();
  }
}
