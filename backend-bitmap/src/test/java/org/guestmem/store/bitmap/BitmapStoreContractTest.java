package org.guestmem.store.bitmap;

import org.guestmem.conformance.StateStoreContract;
import org.guestmem.spi.StateStoreProvider;

class BitmapStoreContractTest implements StateStoreContract {
  @Override
  public StateStoreProvider provider() {
    return new BitmapStoreProvider();
  }
}
