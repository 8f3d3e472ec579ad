package org.guestmem.store.intervaltree;

import org.guestmem.conformance.StateStoreContract;
import org.guestmem.spi.StateStoreProvider;

class PackedRunStoreContractTest implements StateStoreContract {
  @Override
  public StateStoreProvider provider() {
    return new PackedRunStoreProvider();
  }
}
