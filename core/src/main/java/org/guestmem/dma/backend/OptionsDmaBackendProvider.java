package org.guestmem.dma.backend;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaBackendProvider;

/**
 * A {@link DmaBackendProvider} whose options are parsed by {@link DmaOptions}: {@code kernel=} plus the keys the
 * provider names, every other key refused with the list of known ones. Subclasses open the back-end from the parsed
 * options.
 */
public abstract class OptionsDmaBackendProvider implements DmaBackendProvider {
  private final String name;
  private final Set<String> keys;

  /**
   * @param name the provider name
   * @param keys the option keys this provider takes besides {@code kernel}
   */
  protected OptionsDmaBackendProvider(String name, Set<String> keys) {
    this.name = Objects.requireNonNull(name, "name");
    this.keys = Set.copyOf(keys);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final DmaBackend open(Map<String, String> options) {
    return open(DmaOptions.parse(name, options, keys));
  }

  /**
   * Opens a back-end from the parsed, checked options.
   *
   * @param options the options, unknown keys already refused
   * @return a new, empty address space, which the caller closes
   */
  protected abstract DmaBackend open(DmaOptions options);
}
