package org.guestmem.dma;

import java.util.Locale;

/**
 * What {@link DmaMappingListener} does when a section's worst case (one DMA entry per granule) exceeds the entries
 * the back-end has left (type1's {@code vfio_iommu_type1.dma_entry_limit}, 65,535 by default).
 */
public enum EntryLimitPolicy {
  /**
   * Refuse to register, naming the number of entries needed and the setting to raise: the worst case can never
   * happen half way through a guest's run.
   */
  STRICT,
  /**
   * QEMU's behaviour: register, warn once with the worst-case number, and let a conversion that would pass the
   * limit fail when the kernel refuses its map (ENOSPC). That conversion is undone exactly, so the guest's other
   * memory and every mapping stay consistent. Suits a confidential guest, which shares a few GiB of a large region.
   */
  ON_DEMAND;

  /** The default everywhere a policy is not named: {@link #ON_DEMAND}, as QEMU behaves. */
  public static final EntryLimitPolicy DEFAULT = ON_DEMAND;

  /** {@return the configuration name: {@code strict} or {@code on-demand}} */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The policy named {@code name} ({@code strict} or {@code on-demand}, case-insensitive).
   *
   * @param name the configuration name
   * @return the policy
   * @throws IllegalArgumentException naming the value and the allowed names
   */
  public static EntryLimitPolicy parse(String name) {
    if (name != null) {
      for (EntryLimitPolicy p : values()) {
        if (p.configName().equalsIgnoreCase(name.trim())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException("entry-limit policy '" + name + "' must be one of strict, on-demand");
  }
}
