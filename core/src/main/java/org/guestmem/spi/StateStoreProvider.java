package org.guestmem.spi;

import java.util.Map;

/**
 * Creates {@link StateStore}s of one kind. Found with {@link java.util.ServiceLoader}; registered both in
 * {@code META-INF/services/org.guestmem.spi.StateStoreProvider} and in {@code module-info} with {@code provides}.
 */
public interface StateStoreProvider {

  /** {@return the name configuration selects this provider by, e.g. {@code "bitmap"} or {@code "intervaltree"}} */
  String name();

  /** {@return the most states a store of this kind holds} */
  int maxStates();

  /**
   * A new store of {@code blocks} blocks, all in {@code initialState}.
   *
   * @param options provider-specific settings (unknown keys are rejected); never null
   * @param blocks the number of blocks, not negative
   * @param states how many states the store holds, from 2 to {@link #maxStates()}
   * @param initialState the state of every block at first
   * @return the new store
   * @throws IllegalArgumentException if {@code blocks} is negative, {@code states} is outside
   *     {@code [2, maxStates()]}, {@code initialState} is outside {@code [0, states)} or an option is unknown
   */
  StateStore create(long blocks, int states, int initialState, Map<String, String> options);

  /**
   * {@return a new two-state store with no options}
   *
   * @param blocks the number of blocks, not negative
   * @param initialState the state of every block at first, 0 or 1
   */
  default StateStore create(long blocks, int initialState) {
    return create(blocks, 2, initialState, Map.of());
  }
}
