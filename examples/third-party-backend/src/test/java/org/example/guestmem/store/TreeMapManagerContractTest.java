package org.example.guestmem.store;

import org.guestmem.conformance.ManagerContract;
import org.guestmem.spi.StateStoreProvider;

/** The attribute manager's contract on this store, every kind of failure included. */
class TreeMapManagerContractTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new TreeMapStoreProvider();
  }
}
