package org.guestmem.config;

import java.util.Map;
import org.guestmem.conformance.ModelStore;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

/** A provider registered only in core's test resources, to test ServiceLoader discovery. */
public final class TestStoreProvider implements StateStoreProvider {
  @Override
  public String name() {
    return "test-model";
  }

  @Override
  public int maxStates() {
    return 2;
  }

  @Override
  public StateStore create(long blocks, int states, int initialState, Map<String, String> options) {
    return new ModelStore(blocks, states, initialState);
  }
}
