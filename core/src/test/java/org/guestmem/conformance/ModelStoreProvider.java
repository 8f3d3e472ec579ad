package org.guestmem.conformance;

import java.util.Map;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

/** Provider of the {@link ModelStore} reference model, for core's own tests. Not registered with ServiceLoader. */
public final class ModelStoreProvider implements StateStoreProvider {

  @Override
  public String name() {
    return "model";
  }

  @Override
  public int maxStates() {
    return 256;
  }

  @Override
  public StateStore create(long blocks, int states, int initialState, Map<String, String> options) {
    if (states < 2 || states > maxStates()) {
      throw new IllegalArgumentException("states " + states + " outside [2, " + maxStates() + "]");
    }
    if (initialState < 0 || initialState >= states) {
      throw new IllegalArgumentException("initial state " + initialState + " outside [0, " + states + ")");
    }
    if (!options.isEmpty()) {
      throw new IllegalArgumentException("the model store takes no options, got " + options.keySet());
    }
    return new ModelStore(blocks, states, initialState);
  }
}
