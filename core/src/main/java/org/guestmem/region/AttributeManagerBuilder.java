package org.guestmem.region;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

/** Builds an {@link AttributeManager}; {@link AttributeManager#builder()} makes one. */
public final class AttributeManagerBuilder {
  private RegionLayout layout;
  private String name;
  private StateStoreProvider storeProvider;
  private Map<String, String> storeOptions = Map.of();
  private Boolean plugInitially;
  private boolean combining;
  private MemoryAttributeBackend memoryAttributes;
  private int pinRetries = DEFAULT_PIN_RETRIES;

  /** Retries of a conversion to private that KVM refuses for a page pinned outside guestmem. */
  public static final int DEFAULT_PIN_RETRIES = 3;

  AttributeManagerBuilder() {}

  /**
   * The back-end that applies conversions of the shared attribute to the guest memory itself (KVM), in the order
   * the class comment gives. The manager does not own it: closing it is the caller's job. Its page size must
   * divide the granularity.
   *
   * @param backend the back-end, not null
   * @return this builder
   */
  public AttributeManagerBuilder memoryAttributes(MemoryAttributeBackend backend) {
    this.memoryAttributes = Objects.requireNonNull(backend, "memory-attribute back-end must not be null");
    return this;
  }

  /**
   * How many times a conversion to private is retried when KVM refuses it with {@code EAGAIN} for a page pinned
   * outside guestmem (a transient reference), before it is refused naming the page; default
   * {@value #DEFAULT_PIN_RETRIES}. A page one of the region's own listeners still holds is never retried.
   *
   * @param retries retries per conversion, 0 for none
   * @return this builder
   * @throws IllegalArgumentException if {@code retries} is negative
   */
  public AttributeManagerBuilder pinRetries(int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("pin retries " + retries + " must not be negative");
    }
    this.pinRetries = retries;
    return this;
  }

  /** The longest region name: a QEMU memory-region name or a label, not a document. */
  public static final int MAX_NAME_LENGTH = 128;

  /**
   * The region's name, e.g. QEMU's RAMBlock id ({@code pc.ram}, {@code mem1}): it tells apart the JFR events and log
   * lines of a guest with several regions. Default: the region's IOVA base in hex ({@code 0x100000000}).
   *
   * @param name the name, 1 to {@value #MAX_NAME_LENGTH} characters
   * @return this builder
   * @throws IllegalArgumentException if {@code name} is blank, longer than {@value #MAX_NAME_LENGTH} characters or
   *     holds a control character, naming it and the rule
   */
  public AttributeManagerBuilder name(String name) {
    Objects.requireNonNull(name, "region name must not be null");
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("region name '" + name.replaceAll("\\p{Cntrl}", "?") + "' must be 1 to "
          + MAX_NAME_LENGTH + " characters, not blank, without control characters");
    }
    this.name = name;
    return this;
  }

  /**
   * The region (required).
   *
   * @param layout the region, not null
   * @return this builder
   */
  public AttributeManagerBuilder layout(RegionLayout layout) {
    this.layout = Objects.requireNonNull(layout, "layout must not be null");
    return this;
  }

  /**
   * The state-store kind behind every source (required).
   *
   * @param provider the provider, not null
   * @return this builder
   */
  public AttributeManagerBuilder store(StateStoreProvider provider) {
    this.storeProvider = Objects.requireNonNull(provider, "store provider must not be null");
    return this;
  }

  /**
   * Options passed to the store provider.
   *
   * @param options provider-specific settings, copied
   * @return this builder
   */
  public AttributeManagerBuilder storeOptions(Map<String, String> options) {
    this.storeOptions = Map.copyOf(options);
    return this;
  }

  /**
   * Adds a {@link Source#PLUG} source (a virtio-mem-like device), all plugged or all unplugged at first. Without
   * it every block counts as plugged.
   *
   * @param initiallyPlugged whether every block starts plugged
   * @return this builder
   */
  public AttributeManagerBuilder plugSource(boolean initiallyPlugged) {
    this.plugInitially = initiallyPlugged;
    return this;
  }

  /**
   * Whether concurrent conversions are combined (flat combining over a lock-free queue) instead of each taking
   * the region's lock in turn. See {@link AttributeManager#change}. Off by default: it pays when listener calls
   * are expensive (DMA map ioctls) and costs throughput when they are cheap and threads outnumber cores (the
   * README has the measured figures).
   *
   * @param combining whether to combine
   * @return this builder
   */
  public AttributeManagerBuilder combining(boolean combining) {
    this.combining = combining;
    return this;
  }

  /**
   * {@return the manager; every block starts private, as in QEMU}
   *
   * @throws IllegalStateException if the layout or the store provider is missing
   * @throws IllegalArgumentException if the granularity is not a multiple of the memory-attribute back-end's page size
   */
  public AttributeManager build() {
    if (layout == null) {
      throw new IllegalStateException("a region layout is required");
    }
    if (storeProvider == null) {
      throw new IllegalStateException("a state-store provider is required");
    }
    if (memoryAttributes != null && layout.granularity() % memoryAttributes.capabilities().pageSize() != 0) {
      throw new IllegalArgumentException(String.format(
          "granularity 0x%x is not a multiple of the memory-attribute back-end's page size 0x%x",
          layout.granularity(), memoryAttributes.capabilities().pageSize()));
    }
    EnumMap<Source, StateStore> stores = new EnumMap<>(Source.class);
    stores.put(Source.GUEST_MEMFD, storeProvider.create(layout.blocks(), 2, SourceStores.DISCARDED, storeOptions));
    if (plugInitially != null) {
      stores.put(Source.PLUG,
          storeProvider.create(layout.blocks(), 2, plugInitially ? SourceStores.POPULATED : SourceStores.DISCARDED, storeOptions));
    }
    String regionName = name != null ? name : String.format("0x%x", layout.iovaBase());
    return new AttributeManager(regionName, layout,
        new SourceStores(stores, storeProvider, storeOptions, layout.blocks()), storeProvider.name(), combining,
        memoryAttributes, pinRetries);
  }
}
