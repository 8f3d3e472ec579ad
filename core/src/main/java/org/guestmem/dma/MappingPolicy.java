package org.guestmem.dma;

import java.util.Locale;

/** How {@link DmaMappingListener} turns populated runs into DMA mappings (docs/architecture.md, "DMA mapping"). */
public enum MappingPolicy {
  /**
   * QEMU's behaviour: one mapping per granule, so that any subset can be unmapped exactly. Works on every back-end;
   * costs one DMA entry per granule (262,144 per GiB at 4 KiB).
   */
  GRANULE,
  /**
   * One mapping per populated run the listener is told about; a discard that ends inside a mapping cuts it there
   * ({@link org.guestmem.spi.DmaBackend#cut}). Needs a back-end that can cut.
   */
  COALESCE;

  /** {@return the configuration name: {@code granule} or {@code coalesce}} */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The policy named {@code name} ({@code granule} or {@code coalesce}, case-insensitive).
   *
   * @param name the configuration name
   * @return the policy
   * @throws IllegalArgumentException naming the value and the allowed names
   */
  public static MappingPolicy parse(String name) {
    if (name != null) {
      for (MappingPolicy p : values()) {
        if (p.configName().equalsIgnoreCase(name.trim())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException("mapping policy '" + name + "' must be one of granule, coalesce");
  }
}
