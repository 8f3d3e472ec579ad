package org.guestmem.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.dma.backend.DmaOptions;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaBackendProvider;
import org.guestmem.spi.Sizes;
import org.guestmem.spi.StateStoreProvider;

/**
 * Which providers and policies to use, chosen by name, and what opens them: the state store ({@link #storeProvider},
 * {@link #newManager}), the DMA back-end with its options ({@link #openDma}) and the mapping listener with its
 * mapping and entry-limit policies ({@link #registerDma}). Read from a properties file, from system properties, or
 * set with the builder; later sources override earlier ones key by key.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code guestmem.store}</td><td>state-store provider</td><td>{@code bitmap}</td></tr>
 *   <tr><td>{@code guestmem.dma}</td><td>DMA back-end provider</td><td>{@code iommufd}</td></tr>
 *   <tr><td>{@code guestmem.dma.kernel}</td><td>{@code auto}, {@code real} or {@code embedded}: the back-end's
 *       {@code kernel=} option</td><td>{@code auto}</td></tr>
 *   <tr><td>{@code guestmem.dma.option.KEY}</td><td>the back-end's option {@code KEY}, e.g.
 *       {@code guestmem.dma.option.cut=true} for coalesce on iommufd; the provider checks the key and value when
 *       {@link #openDma} opens it</td><td>none</td></tr>
 *   <tr><td>{@code guestmem.mapping}</td><td>{@code granule} or {@code coalesce} ({@link MappingPolicy})</td>
 *       <td>{@code granule}</td></tr>
 *   <tr><td>{@code guestmem.dma.entry-limit}</td><td>{@code strict} (refuse a listener whose worst case passes the
 *       back-end's entry limit) or {@code on-demand} (QEMU's: warn, and refuse the conversion that passes it;
 *       {@link EntryLimitPolicy})</td><td>{@code on-demand}</td></tr>
 *   <tr><td>{@code guestmem.granularity}</td><td>block size in bytes, with an optional K/M/G suffix</td>
 *       <td>{@code 4K}</td></tr>
 * </table>
 *
 * <p>Every other key that starts with {@code guestmem.} is refused, from a file, from system properties and from
 * {@link Builder#apply} alike, naming the key and listing the known ones, so that a misspelt key never leaves a
 * default in force. The one exception is {@code guestmem.test.}: the test suites' own knobs (seeds, sweep sizes),
 * never configuration.
 *
 * <p>Immutable and thread-safe.
 *
 * @param store the state-store provider name
 * @param dma the DMA back-end provider name
 * @param dmaKernel the kernel path of the DMA back-end: {@code auto}, {@code real} or {@code embedded}
 * @param dmaOptions the DMA back-end's other options, by key (never {@code kernel}); sorted and unmodifiable
 * @param mapping the DMA mapping policy
 * @param entryLimit the entry-limit policy of the DMA mapping listener
 * @param granularity the block size in bytes
 */
public record GuestmemConfig(String store, String dma, String dmaKernel, Map<String, String> dmaOptions,
    MappingPolicy mapping, EntryLimitPolicy entryLimit, long granularity) {

  /** Key of the state-store provider name. */
  public static final String STORE = "guestmem.store";
  /** Key of the DMA back-end provider name. */
  public static final String DMA = "guestmem.dma";
  /** Key of the DMA back-end's kernel path. */
  public static final String DMA_KERNEL = "guestmem.dma.kernel";
  /** Prefix of the DMA back-end's options: {@code guestmem.dma.option.KEY=VALUE}. */
  public static final String DMA_OPTION_PREFIX = "guestmem.dma.option.";
  /** Key of the mapping policy. */
  public static final String MAPPING = "guestmem.mapping";
  /** Key of the entry-limit policy. */
  public static final String ENTRY_LIMIT = "guestmem.dma.entry-limit";
  /** Key of the block size. */
  public static final String GRANULARITY = "guestmem.granularity";
  /** Prefix of the test suites' system properties, which configuration ignores. */
  public static final String TEST_PREFIX = "guestmem.test.";

  private static final String NAMESPACE = "guestmem.";
  private static final Set<String> KEYS = Set.of(STORE, DMA, DMA_KERNEL, MAPPING, ENTRY_LIMIT, GRANULARITY);
  private static final Set<String> KERNEL_MODES = Set.of("auto", "real", "embedded");

  /**
   * Checks every component.
   *
   * @param store the state-store provider name
   * @param dma the DMA back-end provider name
   * @param dmaKernel the kernel path of the DMA back-end: {@code auto}, {@code real} or {@code embedded}
   * @param dmaOptions the DMA back-end's other options, by key (never {@code kernel}); sorted and unmodifiable
   * @param mapping the DMA mapping policy
   * @param entryLimit the entry-limit policy of the DMA mapping listener
   * @param granularity the block size in bytes
   * @throws NullPointerException if {@code store}, {@code dma}, {@code dmaOptions}, {@code mapping} or
   *     {@code entryLimit} is null
   * @throws IllegalArgumentException naming the key and the value: a kernel path other than auto, real or
   *     embedded, a DMA option key that is blank or {@code kernel} (which {@code dmaKernel} sets), an option without
   *     a value, or a granularity that is not a power of two of at least 4096
   */
  public GuestmemConfig {
    Objects.requireNonNull(store, STORE + " must not be null");
    Objects.requireNonNull(dma, DMA + " must not be null");
    Objects.requireNonNull(mapping, MAPPING + " must not be null");
    Objects.requireNonNull(entryLimit, ENTRY_LIMIT + " must not be null");
    if (dmaKernel == null || !KERNEL_MODES.contains(dmaKernel)) {
      throw new IllegalArgumentException(
          DMA_KERNEL + " '" + dmaKernel + "' must be one of auto, real, embedded");
    }
    Objects.requireNonNull(dmaOptions, "DMA options must not be null");
    for (Map.Entry<String, String> e : dmaOptions.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException(DMA_OPTION_PREFIX + "'" + key + "' names no option");
      }
      if (key.equals(DmaOptions.KERNEL)) {
        throw new IllegalArgumentException(DMA_OPTION_PREFIX + key + " is set with " + DMA_KERNEL);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException(DMA_OPTION_PREFIX + key + " has no value");
      }
    }
    dmaOptions = Collections.unmodifiableMap(new TreeMap<>(dmaOptions));
    if (granularity < RegionLayout.MIN_GRANULARITY || Long.bitCount(granularity) != 1) {
      throw new IllegalArgumentException(String.format(
          "%s %d must be a power of two and at least 4096", GRANULARITY, granularity));
    }
  }

  /**
   * The defaults: bitmap store, iommufd on the auto kernel path with no other option, granule mapping on demand,
   * 4 KiB.
   *
   * @return the default configuration
   */
  public static GuestmemConfig defaults() {
    return new GuestmemConfig("bitmap", "iommufd", "auto", Map.of(), MappingPolicy.GRANULE,
        EntryLimitPolicy.DEFAULT, 4096);
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /**
   * The defaults overridden by the {@code guestmem.*} system properties.
   *
   * @return the configuration
   * @throws IllegalArgumentException if a system property is an unknown {@code guestmem.*} key or has a bad value
   */
  public static GuestmemConfig fromSystemProperties() {
    return builder().apply(System.getProperties(), "system properties").build();
  }

  /**
   * The defaults overridden by {@code file}, then by the system properties.
   *
   * @param file a properties file
   * @return the configuration
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the file or a system property holds an unknown {@code guestmem.*} key or a
   *     bad value
   */
  public static GuestmemConfig load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    }
    return builder().apply(props, file.toString()).apply(System.getProperties(), "system properties").build();
  }

  /**
   * The state-store provider this configuration names.
   *
   * @return the provider
   * @throws IllegalArgumentException if no provider, or more than one, has that name (see {@link Providers})
   */
  public StateStoreProvider storeProvider() {
    return Providers.stateStore(store);
  }

  /**
   * The DMA back-end provider this configuration names.
   *
   * @return the provider
   * @throws IllegalArgumentException if no provider, or more than one, has that name (see {@link Providers})
   */
  public DmaBackendProvider dmaProvider() {
    return Providers.dmaBackend(dma);
  }

  /**
   * What {@link #openDma} opens the back-end with: {@link #dmaOptions()} plus {@code kernel=}{@link #dmaKernel()}.
   *
   * @return the options, sorted and unmodifiable
   */
  public Map<String, String> dmaOpenOptions() {
    Map<String, String> all = new TreeMap<>(dmaOptions);
    all.put(DmaOptions.KERNEL, dmaKernel);
    return Collections.unmodifiableMap(all);
  }

  /**
   * Opens a new address space of the configured DMA back-end with {@link #dmaOpenOptions()}. The caller closes it.
   *
   * @return the open back-end
   * @throws IllegalArgumentException if the provider is unknown or refuses an option (naming it)
   * @throws org.guestmem.spi.DmaException if the kernel refuses to set the address space up
   */
  public DmaBackend openDma() {
    return dmaProvider().open(dmaOpenOptions());
  }

  /**
   * A manager for a region of {@code size} bytes at IOVA {@code iovaBase} backed at {@code hostAddress}, with the
   * configured store and granularity.
   *
   * @param size the region's size in bytes, a multiple of the granularity
   * @param iovaBase the IOVA of the region's first byte
   * @param hostAddress the host virtual address of the region's first byte
   * @return the manager
   * @throws IllegalArgumentException if the layout is invalid or the store provider is unknown
   */
  public AttributeManager newManager(long size, long iovaBase, long hostAddress) {
    return AttributeManager.builder()
        .layout(new RegionLayout(size, granularity, iovaBase, hostAddress))
        .store(storeProvider())
        .build();
  }

  /**
   * Registers a DMA mapping listener for the whole of {@code manager}'s region on {@code backend}, with the
   * configured mapping and entry-limit policies (see {@link DmaMappingListener#register(AttributeManager,
   * DmaBackend, MappingPolicy, EntryLimitPolicy)}, which says what it throws).
   *
   * @param manager the region
   * @param backend an open back-end, e.g. from {@link #openDma}
   * @return the registered listener, which maps the populated runs before it is returned
   */
  public DmaMappingListener registerDma(AttributeManager manager, DmaBackend backend) {
    return DmaMappingListener.register(manager, backend, mapping, entryLimit);
  }

  /** Builds a {@link GuestmemConfig} from named values; not thread-safe. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> dmaOptions = new TreeMap<>();

    private Builder(GuestmemConfig base) {
      values.put(STORE, base.store);
      values.put(DMA, base.dma);
      values.put(DMA_KERNEL, base.dmaKernel);
      values.put(MAPPING, base.mapping.configName());
      values.put(ENTRY_LIMIT, base.entryLimit.configName());
      values.put(GRANULARITY, Long.toString(base.granularity));
      dmaOptions.putAll(base.dmaOptions);
    }

    /**
     * Sets {@code guestmem.store}.
     *
     * @param name the state-store provider's name
     * @return this builder
     */
    public Builder store(String name) {
      values.put(STORE, name);
      return this;
    }

    /**
     * Sets {@code guestmem.dma}.
     *
     * @param name the DMA back-end provider's name
     * @return this builder
     */
    public Builder dma(String name) {
      values.put(DMA, name);
      return this;
    }

    /**
     * Sets {@code guestmem.dma.kernel}.
     *
     * @param mode {@code auto}, {@code real} or {@code embedded} (checked by {@link #build})
     * @return this builder
     */
    public Builder dmaKernel(String mode) {
      values.put(DMA_KERNEL, mode);
      return this;
    }

    /**
     * Sets the DMA back-end option {@code key} ({@code guestmem.dma.option.KEY}).
     *
     * @param key the provider's option key (not {@code kernel}, which {@link #dmaKernel} sets)
     * @param value its value
     * @return this builder
     */
    public Builder dmaOption(String key, String value) {
      dmaOptions.put(key, value);
      return this;
    }

    /**
     * Sets {@code guestmem.mapping} by name.
     *
     * @param policy {@code granule} or {@code coalesce} (checked by {@link #build})
     * @return this builder
     */
    public Builder mapping(String policy) {
      values.put(MAPPING, policy);
      return this;
    }

    /**
     * Sets {@code guestmem.mapping}.
     *
     * @param policy the mapping policy
     * @return this builder
     */
    public Builder mapping(MappingPolicy policy) {
      values.put(MAPPING, Objects.requireNonNull(policy, MAPPING + " must not be null").configName());
      return this;
    }

    /**
     * Sets {@code guestmem.dma.entry-limit} by name.
     *
     * @param policy {@code strict} or {@code on-demand} (checked by {@link #build})
     * @return this builder
     */
    public Builder entryLimit(String policy) {
      values.put(ENTRY_LIMIT, policy);
      return this;
    }

    /**
     * Sets {@code guestmem.dma.entry-limit}.
     *
     * @param policy the entry-limit policy
     * @return this builder
     */
    public Builder entryLimit(EntryLimitPolicy policy) {
      values.put(ENTRY_LIMIT, Objects.requireNonNull(policy, ENTRY_LIMIT + " must not be null").configName());
      return this;
    }

    /**
     * Sets {@code guestmem.granularity}.
     *
     * @param bytes the block size (checked by {@link #build})
     * @return this builder
     */
    public Builder granularity(long bytes) {
      values.put(GRANULARITY, Long.toString(bytes));
      return this;
    }

    /**
     * As {@link #apply(Properties, String)}, naming the source {@code "properties"}.
     *
     * @param props the properties
     * @return this builder
     */
    public Builder apply(Properties props) {
      return apply(props, "properties");
    }

    /**
     * Takes the {@code guestmem.*} keys of {@code props}, ignoring other keys and those under
     * {@code guestmem.test.}. Checks every key before taking any, so a refused source changes nothing.
     *
     * @param props the properties
     * @param source what the properties came from, for the message (a file name, {@code "system properties"})
     * @return this builder
     * @throws IllegalArgumentException naming the key, the source and every known key, if a {@code guestmem.*} key
     *     is not one of them
     */
    public Builder apply(Properties props, String source) {
      Map<String, String> taken = new TreeMap<>();
      Map<String, String> options = new TreeMap<>();
      for (String key : new TreeSet<>(props.stringPropertyNames())) {
        if (!key.startsWith(NAMESPACE) || key.startsWith(TEST_PREFIX)) {
          continue;
        }
        String value = props.getProperty(key).trim();
        if (KEYS.contains(key)) {
          taken.put(key, value);
        } else if (key.startsWith(DMA_OPTION_PREFIX) && key.length() > DMA_OPTION_PREFIX.length()) {
          options.put(key.substring(DMA_OPTION_PREFIX.length()), value);
        } else {
          throw new IllegalArgumentException("unknown configuration key '" + key + "' in " + source
              + "; known: " + knownKeys());
        }
      }
      values.putAll(taken);
      dmaOptions.putAll(options);
      return this;
    }

    /**
     * The configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the key and the value that break a rule (see the record's constructor)
     */
    public GuestmemConfig build() {
      long granularity;
      try {
        granularity = Sizes.parse(values.get(GRANULARITY));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(GRANULARITY + " '" + values.get(GRANULARITY) + "': " + e.getMessage(), e);
      }
      MappingPolicy mapping;
      try {
        mapping = MappingPolicy.parse(values.get(MAPPING));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(MAPPING + " '" + values.get(MAPPING) + "' must be one of granule, coalesce",
            e);
      }
      EntryLimitPolicy entryLimit;
      try {
        entryLimit = EntryLimitPolicy.parse(values.get(ENTRY_LIMIT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENTRY_LIMIT + " '" + values.get(ENTRY_LIMIT)
            + "' must be one of strict, on-demand", e);
      }
      return new GuestmemConfig(values.get(STORE), values.get(DMA), values.get(DMA_KERNEL), dmaOptions, mapping,
          entryLimit, granularity);
    }
  }

  private static String knownKeys() {
    TreeSet<String> known = new TreeSet<>(KEYS);
    known.add(DMA_OPTION_PREFIX + "KEY");
    return String.join(", ", known);
  }
}
