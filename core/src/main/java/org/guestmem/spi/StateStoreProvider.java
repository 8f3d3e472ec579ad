package org.guestmem.spi;

import java.util.Map;

/**
 * Creates {@link StateStore}s of one kind. Found with {@link java.util.ServiceLoader}; registered both in
 * {@code META-INF/services/org.guestmem.spi.StateStoreProvider} and in {@code module-info} with {@code provides}.
 */
public interface StateStoreProvider {

  /** The name configuration selects this provider by, e.g. {@code "bitmap"} or {@code "intervaltree"}. */
  String name();

  /** The most states a store of this kind holds. */
  int maxStates();

  /**
   * A new store of {@code blocks} blocks, all in {@code initialState}.
   *
   * @param options provider-specific settings (unknown keys are rejected); never null
   * @throws IllegalArgumentException if {@code blocks} is negative, {@code states} is outside
   *     {@code [2, maxStates()]}, {@code initialState} is outside {@code [0, states)} or an option is unknown
   */
  StateStore create(long blocks, int states, int initialState, Map<String, String> options);

  /** A new two-state store with no options. */
  default StateStore create(long blocks, int initialState) {
    return create(blocks, 2, initialState, Map.of());
  }
}
