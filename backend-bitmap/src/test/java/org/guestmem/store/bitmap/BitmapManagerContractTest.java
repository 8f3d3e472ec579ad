package org.guestmem.store.bitmap;

import org.guestmem.conformance.ManagerContract;
import org.guestmem.spi.StateStoreProvider;

class BitmapManagerContractTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new BitmapStoreProvider();
  }
}
