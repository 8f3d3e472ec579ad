package org.guestmem.region;

import org.guestmem.conformance.ManagerContract;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.spi.StateStoreProvider;

/** The manager contract on the reference store, so that core's engine is tested without any back-end module. */
class ModelManagerTest implements ManagerContract {
  @Override
  public StateStoreProvider provider() {
    return new ModelStoreProvider();
  }
}
