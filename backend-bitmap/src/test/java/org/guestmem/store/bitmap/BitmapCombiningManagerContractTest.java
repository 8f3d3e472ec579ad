package org.guestmem.store.bitmap;

import org.guestmem.conformance.ManagerContract;
import org.guestmem.spi.StateStoreProvider;

/** The manager contract on the bitmap store with flat combining on. */
class BitmapCombiningManagerContractTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new BitmapStoreProvider();
  }

  @Override
  public boolean combining() {
    return true;
  }
}
