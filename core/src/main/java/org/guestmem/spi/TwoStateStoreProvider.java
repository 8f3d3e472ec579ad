package org.guestmem.spi;

import java.util.Map;

/**
 * A base for providers of two-state stores that take no options, as the built-in {@code bitmap} and
 * {@code intervaltree} stores are: it checks {@link #create(long, int, int, Map)}'s arguments with
 * {@link StoreArguments} and then builds the store with the factory it was given. A subclass is a public class with
 * a public no-argument constructor, for {@link java.util.ServiceLoader}:
 *
 * <pre>{@code
 * public final class MyStoreProvider extends TwoStateStoreProvider {
 *   public MyStoreProvider() {
 *     super("my-store", MyStore::new);
 *   }
 * }
 * }</pre>
 */
public abstract class TwoStateStoreProvider implements StateStoreProvider {
  private final String name;
  private final Factory factory;

  /** Builds a store from arguments the provider has checked. */
  @FunctionalInterface
  public interface Factory {
    /**
     * {@return a new store of {@code blocks} blocks (not negative), all in {@code initialState} (0 or 1)}
     *
     * @param blocks the number of blocks, checked not negative
     * @param initialState the state of every block at first, checked 0 or 1
     */
    StateStore create(long blocks, int initialState);
  }

  /**
   * A provider selected by {@code name} whose stores {@code factory} builds.
   *
   * @param name the provider name (see {@link #name()})
   * @param factory builds each store once the arguments are checked
   */
  protected TwoStateStoreProvider(String name, Factory factory) {
    this.name = name;
    this.factory = factory;
  }

  @Override
  public final String name() {
    return name;
  }

  /** Always 2: more states are the attribute manager's composition of two-state stores. */
  @Override
  public final int maxStates() {
    return 2;
  }

  @Override
  public final StateStore create(long blocks, int states, int initialState, Map<String, String> options) {
    StoreArguments.checkCreate(name, blocks, states, 2, initialState);
    StoreArguments.checkNoOptions(name, options);
    return factory.create(blocks, initialState);
  }
}
