package org.guestmem.store.intervaltree;

import org.guestmem.conformance.ManagerContract;
import org.guestmem.spi.StateStoreProvider;

class PackedRunManagerContractTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new PackedRunStoreProvider();
  }
}
