package org.guestmem.store.intervaltree;

import org.guestmem.conformance.ManagerContract;
import org.guestmem.spi.StateStoreProvider;

class IntervalTreeManagerContractTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new IntervalTreeStoreProvider();
  }
}
