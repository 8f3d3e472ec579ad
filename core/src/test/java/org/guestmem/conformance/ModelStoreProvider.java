package org.guestmem.conformance;

import java.util.Map;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;
import org.guestmem.spi.StoreArguments;

/** Provider of the {@link ModelStore} reference model, for core's own tests. Not registered with ServiceLoader. */
public final class ModelStoreProvider implements StateStoreProvider {

  @Override
  public String name() {
    return "model";
  }

  @Override
  public int maxStates() {
    return ModelStore.MAX_STATES;
  }

  @Override
  public StateStore create(long blocks, int states, int initialState, Map<String, String> options) {
    StoreArguments.checkNoOptions(name(), options);
    return new ModelStore(blocks, states, initialState);
  }
}
