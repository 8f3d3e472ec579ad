package org.guestmem.config;

import org.guestmem.conformance.ModelStore;
import org.guestmem.spi.TwoStateStoreProvider;

/** A provider registered only in core's test resources, to test ServiceLoader discovery. */
public final class TestStoreProvider extends TwoStateStoreProvider {

  public TestStoreProvider() {
    super("test-model", (blocks, initialState) -> new ModelStore(blocks, 2, initialState));
  }
}
