package org.guestmem.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;

/**
 * Which providers and policies to use, chosen by name. Read from a properties file, from system properties, or set
 * with the builder; later sources override earlier ones key by key.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code guestmem.store}</td><td>state-store provider</td><td>{@code bitmap}</td></tr>
 *   <tr><td>{@code guestmem.dma}</td><td>DMA back-end provider</td><td>{@code iommufd}</td></tr>
 *   <tr><td>{@code guestmem.dma.kernel}</td><td>{@code auto}, {@code real} or {@code embedded}</td>
 *       <td>{@code auto}</td></tr>
 *   <tr><td>{@code guestmem.mapping}</td><td>{@code granule} or {@code coalesce}</td><td>{@code granule}</td></tr>
 *   <tr><td>{@code guestmem.dma.entry-limit}</td><td>{@code strict} (refuse a listener whose worst case passes the
 *       back-end's entry limit) or {@code on-demand} (QEMU's: warn, and refuse the conversion that passes it)</td>
 *       <td>{@code on-demand}</td></tr>
 *   <tr><td>{@code guestmem.granularity}</td><td>block size in bytes, with an optional K/M/G suffix</td>
 *       <td>{@code 4K}</td></tr>
 * </table>
 *
 * @param store the state-store provider name
 * @param dma the DMA back-end provider name
 * @param dmaKernel the kernel path of the DMA back-end
 * @param mapping the DMA mapping policy
 * @param entryLimit the entry-limit policy of the DMA mapping listener
 * @param granularity the block size in bytes
 */
public record GuestmemConfig(String store, String dma, String dmaKernel, String mapping, String entryLimit,
    long granularity) {

  public static final String STORE = "guestmem.store";
  public static final String DMA = "guestmem.dma";
  public static final String DMA_KERNEL = "guestmem.dma.kernel";
  public static final String MAPPING = "guestmem.mapping";
  public static final String ENTRY_LIMIT = "guestmem.dma.entry-limit";
  public static final String GRANULARITY = "guestmem.granularity";

  private static final Set<String> KEYS = Set.of(STORE, DMA, DMA_KERNEL, MAPPING, ENTRY_LIMIT, GRANULARITY);
  private static final Set<String> KERNEL_MODES = Set.of("auto", "real", "embedded");
  private static final Set<String> MAPPINGS = Set.of("granule", "coalesce");
  private static final Set<String> ENTRY_LIMITS = Set.of("strict", "on-demand");

  public GuestmemConfig {
    Objects.requireNonNull(store, STORE + " must not be null");
    Objects.requireNonNull(dma, DMA + " must not be null");
    if (dmaKernel == null || !KERNEL_MODES.contains(dmaKernel)) {
      throw new IllegalArgumentException(
          DMA_KERNEL + " '" + dmaKernel + "' must be one of auto, real, embedded");
    }
    if (mapping == null || !MAPPINGS.contains(mapping)) {
      throw new IllegalArgumentException(MAPPING + " '" + mapping + "' must be one of granule, coalesce");
    }
    if (entryLimit == null || !ENTRY_LIMITS.contains(entryLimit)) {
      throw new IllegalArgumentException(ENTRY_LIMIT + " '" + entryLimit + "' must be one of strict, on-demand");
    }
    if (granularity < RegionLayout.MIN_GRANULARITY || Long.bitCount(granularity) != 1) {
      throw new IllegalArgumentException(String.format(
          "%s %d must be a power of two and at least 4096", GRANULARITY, granularity));
    }
  }

  /** The defaults: bitmap store, iommufd on the auto kernel path, granule mapping on demand, 4 KiB. */
  public static GuestmemConfig defaults() {
    return new GuestmemConfig("bitmap", "iommufd", "auto", "granule", "on-demand", 4096);
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /** The defaults overridden by the {@code guestmem.*} system properties. */
  public static GuestmemConfig fromSystemProperties() {
    return builder().apply(System.getProperties(), false).build();
  }

  /**
   * The defaults overridden by {@code file}, then by the system properties.
   *
   * @throws IllegalArgumentException if the file holds an unknown {@code guestmem.*} key or a bad value
   */
  public static GuestmemConfig load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    }
    return builder().apply(props, true).apply(System.getProperties(), false).build();
  }

  /** The state-store provider this configuration names (see {@link Providers#stateStore}). */
  public org.guestmem.spi.StateStoreProvider storeProvider() {
    return Providers.stateStore(store);
  }

  /** The DMA back-end options this configuration implies ({@code kernel=...}). */
  public Map<String, String> dmaOptions() {
    return Map.of("kernel", dmaKernel);
  }

  /** A manager for a region of {@code size} bytes at IOVA {@code iovaBase} backed at {@code hostAddress}. */
  public AttributeManager newManager(long size, long iovaBase, long hostAddress) {
    return AttributeManager.builder()
        .layout(new RegionLayout(size, granularity, iovaBase, hostAddress))
        .store(storeProvider())
        .build();
  }

  /**
   * Parses a byte size such as {@code 4096}, {@code 4K}, {@code 2M}, {@code 64G} or {@code 1T} (binary units).
   *
   * @throws IllegalArgumentException naming the text if it is not a size or overflows
   */
  public static long parseSize(String text) {
    Objects.requireNonNull(text, "size text must not be null");
    String t = text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("size '' is empty");
    }
    int shift = 0;
    char unit = Character.toUpperCase(t.charAt(t.length() - 1));
    switch (unit) {
      case 'K' -> shift = 10;
      case 'M' -> shift = 20;
      case 'G' -> shift = 30;
      case 'T' -> shift = 40;
      case 'P' -> shift = 50;
      default -> shift = 0;
    }
    String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
    long value;
    try {
      value = digits.startsWith("0x") || digits.startsWith("0X")
          ? Long.parseUnsignedLong(digits.substring(2), 16)
          : Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size '" + text + "' is not a number with an optional K/M/G/T/P suffix");
    }
    if (value < 0 || (shift > 0 && value > (Long.MAX_VALUE >>> shift))) {
      throw new IllegalArgumentException("size '" + text + "' is negative or does not fit in 63 bits");
    }
    return value << shift;
  }

  /** Builds a {@link GuestmemConfig}. */
  public static final class Builder {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Builder(GuestmemConfig base) {
      values.put(STORE, base.store);
      values.put(DMA, base.dma);
      values.put(DMA_KERNEL, base.dmaKernel);
      values.put(MAPPING, base.mapping);
      values.put(ENTRY_LIMIT, base.entryLimit);
      values.put(GRANULARITY, Long.toString(base.granularity));
    }

    public Builder store(String name) {
      values.put(STORE, name);
      return this;
    }

    public Builder dma(String name) {
      values.put(DMA, name);
      return this;
    }

    public Builder dmaKernel(String mode) {
      values.put(DMA_KERNEL, mode);
      return this;
    }

    public Builder mapping(String policy) {
      values.put(MAPPING, policy);
      return this;
    }

    public Builder entryLimit(String policy) {
      values.put(ENTRY_LIMIT, policy);
      return this;
    }

    public Builder granularity(long bytes) {
      values.put(GRANULARITY, Long.toString(bytes));
      return this;
    }

    /**
     * Takes the {@code guestmem.*} keys of {@code props}. With {@code strict}, an unknown {@code guestmem.*} key is
     * an error (a typo in a configuration file should not be ignored).
     */
    public Builder apply(Properties props, boolean strict) {
      for (String key : props.stringPropertyNames()) {
        if (!key.startsWith("guestmem.")) {
          continue;
        }
        if (!KEYS.contains(key)) {
          if (strict) {
            throw new IllegalArgumentException("unknown configuration key '" + key + "'; known: "
                + String.join(", ", new java.util.TreeSet<>(KEYS)));
          }
          continue;
        }
        values.put(key, props.getProperty(key).trim());
      }
      return this;
    }

    public GuestmemConfig build() {
      long granularity;
      try {
        granularity = parseSize(values.get(GRANULARITY));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(GRANULARITY + " '" + values.get(GRANULARITY) + "': " + e.getMessage(), e);
      }
      return new GuestmemConfig(values.get(STORE), values.get(DMA), values.get(DMA_KERNEL), values.get(MAPPING),
          values.get(ENTRY_LIMIT), granularity);
    }
  }
}
