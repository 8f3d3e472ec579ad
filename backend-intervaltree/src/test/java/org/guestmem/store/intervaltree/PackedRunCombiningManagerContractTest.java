package org.guestmem.store.intervaltree;

import org.guestmem.conformance.ManagerContract;
import org.guestmem.spi.StateStoreProvider;

/** The manager contract on the interval store with flat combining on. */
class PackedRunCombiningManagerContractTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new PackedRunStoreProvider();
  }

  @Override
  public boolean combining() {
    return true;
  }
}
