package org.example.guestmem.store;

import org.guestmem.conformance.ManagerContract;
import org.guestmem.spi.StateStoreProvider;

/** The manager's contract on this store with flat combining on. */
class TreeMapCombiningManagerContractTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new TreeMapStoreProvider();
  }

  @Override
  public boolean combining() {
    return true;
  }
}
