package org.guestmem.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.guestmem.spi.DmaBackendProvider;
import org.guestmem.spi.MemoryAttributeBackendProvider;
import org.guestmem.spi.StateStoreProvider;

/**
 * Finds state-store and DMA back-end providers with {@link ServiceLoader} (class path and module path alike) and
 * selects them by name. An unknown name, or a name two providers claim, is an error that lists every name found; a
 * provider that fails to load is reported with its error instead of being skipped silently.
 */
public final class Providers {
  private Providers() {}

  /** {@return every state-store provider on the class path, by name} */
  public static Map<String, StateStoreProvider> stateStores() {
    return load(StateStoreProvider.class, StateStoreProvider::name);
  }

  /** {@return every DMA back-end provider on the class path, by name} */
  public static Map<String, DmaBackendProvider> dmaBackends() {
    return load(DmaBackendProvider.class, DmaBackendProvider::name);
  }

  /** {@return every memory-attribute (KVM) back-end provider on the class path, by name} */
  public static Map<String, MemoryAttributeBackendProvider> memoryAttributeBackends() {
    return load(MemoryAttributeBackendProvider.class, MemoryAttributeBackendProvider::name);
  }

  /**
   * {@return the memory-attribute back-end provider called {@code name}} Fails as {@link #stateStore} does.
   *
   * @param name the provider name
   */
  public static MemoryAttributeBackendProvider memoryAttributeBackend(String name) {
    return select("memory-attribute back-end", name, memoryAttributeBackends());
  }

  /**
   * The state-store provider called {@code name}.
   *
   * @param name the provider name
   * @return the provider
   * @throws IllegalArgumentException if none or more than one provider has that name, listing the names found
   */
  public static StateStoreProvider stateStore(String name) {
    return select("state store", name, stateStores());
  }

  /**
   * {@return the DMA back-end provider called {@code name}} Fails as {@link #stateStore} does.
   *
   * @param name the provider name
   */
  public static DmaBackendProvider dmaBackend(String name) {
    return select("DMA back-end", name, dmaBackends());
  }

  private static <T> T select(String kind, String name, Map<String, T> found) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("no " + kind + " named; found: " + namesOf(found));
    }
    T provider = found.get(name);
    if (provider == null) {
      throw new IllegalArgumentException("unknown " + kind + " '" + name + "'; found: " + namesOf(found));
    }
    return provider;
  }

  private static String namesOf(Map<String, ?> found) {
    return found.isEmpty() ? "none (is a back-end module on the class path?)" : String.join(", ", found.keySet());
  }

  private static <T> Map<String, T> load(Class<T> type, Function<T, String> nameOf) {
    Map<String, List<T>> byName = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    ServiceLoader<T> loader = ServiceLoader.load(type, Providers.class.getClassLoader());
    var it = loader.iterator();
    while (true) {
      T provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError e) {
        failures.add(e.getMessage());
        continue;
      }
      byName.computeIfAbsent(nameOf.apply(provider), k -> new ArrayList<>()).add(provider);
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(type.getSimpleName() + " providers failed to load: " + failures);
    }
    Map<String, T> result = new TreeMap<>();
    for (var entry : byName.entrySet()) {
      if (entry.getValue().size() > 1) {
        throw new IllegalStateException(String.format("%s name '%s' is claimed by %d providers (%s); found: %s",
            type.getSimpleName(), entry.getKey(), entry.getValue().size(),
            entry.getValue().stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", ")),
            String.join(", ", byName.keySet())));
      }
      result.put(entry.getKey(), entry.getValue().get(0));
    }
    return result;
  }
}
