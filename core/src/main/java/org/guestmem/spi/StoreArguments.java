package org.guestmem.spi;

import java.util.Map;

/**
 * The argument rules of {@link StateStore} and {@link StateStoreProvider}, checked the same way by every
 * implementation, built-in or third-party. Each check throws {@link IllegalArgumentException} with a message that
 * names the value and the rule (for example {@code block 100 is outside [0, 100)}) and otherwise does nothing, so a
 * store calls it before it changes anything.
 *
 * <p>The index, range and state checks are meant for hot paths: they are static, allocate nothing unless they throw
 * and are small enough for the JIT to inline. Stateless and thread-safe.
 */
public final class StoreArguments {

  private StoreArguments() {}

  /**
   * Checks that {@code block} is a valid index of a store of {@code blocks} blocks.
   *
   * @param block the index to check
   * @param blocks the store's block count
   * @throws IllegalArgumentException unless {@code 0 <= block < blocks}
   */
  public static void checkIndex(long block, long blocks) {
    if (block < 0 || block >= blocks) {
      throw new IllegalArgumentException("block " + block + " is outside [0, " + blocks + ")");
    }
  }

  /**
   * Checks that {@code [from, to)} is a range of a store of {@code blocks} blocks; an empty range is valid anywhere
   * in {@code [0, blocks]}.
   *
   * @param from first block, inclusive
   * @param to end block, exclusive
   * @param blocks the store's block count
   * @throws IllegalArgumentException unless {@code 0 <= from <= to <= blocks}
   */
  public static void checkRange(long from, long to, long blocks) {
    if (from < 0 || to > blocks || from > to) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + to + ") is not inside [0, " + blocks + "] or is reversed");
    }
  }

  /**
   * Checks that {@code limit} bounds a scan from the valid index {@code block}, as
   * {@link StateStore#nextChange(long, long)} requires.
   *
   * @param block where the scan starts
   * @param limit where the scan stops
   * @param blocks the store's block count
   * @throws IllegalArgumentException unless {@code block < limit <= blocks}
   */
  public static void checkLimit(long block, long limit, long blocks) {
    if (limit <= block || limit > blocks) {
      throw new IllegalArgumentException("limit " + limit + " is not in (" + block + ", " + blocks + "]");
    }
  }

  /**
   * Checks that {@code state} is one of a store's {@code states} states.
   *
   * @param state the state to check
   * @param states how many states the store holds
   * @throws IllegalArgumentException unless {@code 0 <= state < states}
   */
  public static void checkState(int state, int states) {
    if (state < 0 || state >= states) {
      throw new IllegalArgumentException(stateRule("state", state, states));
    }
  }

  /**
   * Checks the arguments of {@link StateStoreProvider#create(long, int, int, Map)} for a store kind called
   * {@code store} that holds from 2 to {@code maxStates} states. Options are the provider's own to check (see
   * {@link #checkNoOptions}).
   *
   * @param store the store kind's name, for the message
   * @param blocks the requested block count
   * @param states the requested number of states
   * @param maxStates the most states the kind holds
   * @param initialState the requested initial state
   * @throws IllegalArgumentException if {@code blocks} is negative, {@code states} is outside
   *     {@code [2, maxStates]} or {@code initialState} is outside {@code [0, states)}
   */
  public static void checkCreate(String store, long blocks, int states, int maxStates, int initialState) {
    if (blocks < 0) {
      throw new IllegalArgumentException("block count " + blocks + " is negative");
    }
    if (states < 2 || states > maxStates) {
      throw new IllegalArgumentException(maxStates == 2
          ? "the " + store + " store holds exactly 2 states, not " + states + "; compose two stores for more"
          : "the " + store + " store holds 2 to " + maxStates + " states, not " + states);
    }
    if (initialState < 0 || initialState >= states) {
      throw new IllegalArgumentException(stateRule("initial state", initialState, states));
    }
  }

  /**
   * Checks that a provider that takes no options was given none.
   *
   * @param store the store kind's name, for the message
   * @param options the options given
   * @throws IllegalArgumentException naming the keys if {@code options} is not empty
   */
  public static void checkNoOptions(String store, Map<String, String> options) {
    if (!options.isEmpty()) {
      throw new IllegalArgumentException("the " + store + " store takes no options, got " + options.keySet());
    }
  }

  private static String stateRule(String what, int state, int states) {
    return states == 2
        ? what + " " + state + " is not 0 or 1"
        : what + " " + state + " is outside [0, " + states + ")";
  }
}
