package org.guestmem.store.intervaltree;

import org.guestmem.conformance.StateStoreContract;
import org.guestmem.spi.StateStoreProvider;

class IntervalTreeStoreContractTest implements StateStoreContract {
  @Override
  public StateStoreProvider provider() {
    return new IntervalTreeStoreProvider();
  }
}
