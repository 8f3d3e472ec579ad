package org.guestmem.cli.replay;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.OptionalLong;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.region.RamLayout;

/**
 * One replay: the input (a named workload or a QEMU trace), the region, and the store x back-end x policy
 * combination.
 *
 * @param workload the workload name, or null for a trace
 * @param trace the trace file, or null for a workload
 * @param base guest-physical address of region offset 0 (the IOVA base); empty for the trace header's (else 0: a
 *     trace's addresses are taken as they are), or {@link #DEFAULT_BASE} for a workload
 * @param strict fail on trace lines that are not conversion events
 * @param size region size in bytes
 * @param granularity block size in bytes
 * @param seed workload seed
 * @param ops workload operation count, 0 for its default
 * @param plug the plug source: {@code none}, {@code plugged} or {@code unplugged}; null for the input's own
 * @param store state-store provider name
 * @param dma DMA back-end provider name, or {@code none}
 * @param kernel {@code auto}, {@code real} or {@code embedded}
 * @param mapping {@code granule} or {@code coalesce}
 * @param entryLimit {@code strict} or {@code on-demand}: what the mapping listener does when the back-end may run out
 *     of DMA entries (see {@link org.guestmem.dma.EntryLimitPolicy})
 * @param verify check the mapping invariant after every operation in the range it touched (it is always checked
 *     over the whole region at the end)
 * @param verifyEvery also check the whole region every this many operations; 0 for only at the end
 * @param dmaOptions options for the DMA provider ({@code key} for any back-end, {@code provider:key} for one), e.g.
 *     {@code vfio-type1:dma-entry-limit=1000000}; {@code kernel} comes from {@code kernel} and may not be given here
 * @param ram the guest's RAM ranges, one region each behind a {@link org.guestmem.region.GuestMemoryMap}; null for
 *     one region of {@code size} at {@code base}, or for a trace, the header's {@code ram} if it has one. With a
 *     layout, {@code size} is its total and {@code base} is not used.
 */
public record RunConfig(String workload, Path trace, OptionalLong base, boolean strict, long size, long granularity,
    long seed, long ops, String plug, String store, String dma, String kernel, String mapping, String entryLimit,
    boolean verify, long verifyEvery, Map<String, String> dmaOptions, RamLayout ram) {

  /** A run of one region, or of the trace header's RAM layout. */
  public RunConfig(String workload, Path trace, OptionalLong base, boolean strict, long size, long granularity,
      long seed, long ops, String plug, String store, String dma, String kernel, String mapping, String entryLimit,
      boolean verify, long verifyEvery, Map<String, String> dmaOptions) {
    this(workload, trace, base, strict, size, granularity, seed, ops, plug, store, dma, kernel, mapping, entryLimit,
        verify, verifyEvery, dmaOptions, null);
  }

  /** The guest-physical address (IOVA) of region offset 0 when neither the input nor the user gives one: 4 GiB, where
   * QEMU puts the RAM above the PCI hole on x86, so the region clears the interrupt window at 0xfee00000. */
  public static final long DEFAULT_BASE = 0x1_0000_0000L;

  /** A run checked in full only at the end (and per operation with {@code verify}). */
  public RunConfig(String workload, Path trace, OptionalLong base, boolean strict, long size, long granularity,
      long seed, long ops, String plug, String store, String dma, String kernel, String mapping, String entryLimit,
      boolean verify, Map<String, String> dmaOptions) {
    this(workload, trace, base, strict, size, granularity, seed, ops, plug, store, dma, kernel, mapping, entryLimit,
        verify, 0, dmaOptions);
  }

  /** A run with the default entry-limit policy. */
  public RunConfig(String workload, Path trace, OptionalLong base, boolean strict, long size, long granularity,
      long seed, long ops, String plug, String store, String dma, String kernel, String mapping, boolean verify,
      Map<String, String> dmaOptions) {
    this(workload, trace, base, strict, size, granularity, seed, ops, plug, store, dma, kernel, mapping,
        EntryLimitPolicy.DEFAULT.configName(), verify, dmaOptions);
  }

  /** A run with no DMA provider options and the default entry-limit policy. */
  public RunConfig(String workload, Path trace, OptionalLong base, boolean strict, long size, long granularity,
      long seed, long ops, String plug, String store, String dma, String kernel, String mapping, boolean verify) {
    this(workload, trace, base, strict, size, granularity, seed, ops, plug, store, dma, kernel, mapping,
        EntryLimitPolicy.DEFAULT.configName(), verify, Map.of());
  }

  public RunConfig {
    dmaOptions = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(dmaOptions, "dmaOptions")));
    for (String key : dmaOptions.keySet()) {
      if (key.equals("kernel") || key.endsWith(":kernel")) {
        throw new IllegalArgumentException("DMA option '" + key + "': the kernel path is chosen with --kernel");
      }
    }
    if ((workload == null) == (trace == null)) {
      throw new IllegalArgumentException("give exactly one of a workload or a trace");
    }
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(dma, "dma");
    Objects.requireNonNull(kernel, "kernel");
    Objects.requireNonNull(mapping, "mapping");
    EntryLimitPolicy.parse(entryLimit);
    if (verifyEvery < 0) {
      throw new IllegalArgumentException("--verify-every " + verifyEvery + " must be 0 (only at the end) or positive");
    }
    if (plug != null && !plug.equals("none") && !plug.equals("plugged") && !plug.equals("unplugged")) {
      throw new IllegalArgumentException("plug source '" + plug + "' must be none, plugged or unplugged");
    }
    if (ram != null && ram.size() != size) {
      throw new IllegalArgumentException(String.format("--size 0x%x differs from the RAM layout's total 0x%x (%s)",
          size, ram.size(), ram));
    }
    if (ram != null && base.isPresent()) {
      throw new IllegalArgumentException("--base and --ram exclude each other: --ram gives every range's address");
    }
  }

  /** The same run over the guest RAM {@code ram} (its total becomes the size). */
  public RunConfig withRam(RamLayout ram) {
    return new RunConfig(workload, trace, base, strict, ram.size(), granularity, seed, ops, plug, store, dma, kernel,
        mapping, entryLimit, verify, verifyEvery, dmaOptions, ram);
  }

  /** The same run with another combination. */
  public RunConfig with(String store, String dma, String mapping) {
    return new RunConfig(workload, trace, base, strict, size, granularity, seed, ops, plug, store, dma, kernel,
        mapping, entryLimit, verify, verifyEvery, dmaOptions, ram);
  }

  /**
   * The options for provider {@code dma}: the plain keys and those prefixed {@code dma:} (without the prefix), plus
   * {@code kernel}.
   */
  public Map<String, String> dmaOptionsFor(String dma) {
    Map<String, String> out = new TreeMap<>();
    dmaOptions.forEach((k, v) -> {
      int colon = k.indexOf(':');
      if (colon < 0) {
        out.put(k, v);
      } else if (k.substring(0, colon).equals(dma)) {
        out.put(k.substring(colon + 1), v);
      }
    });
    out.put("kernel", kernel);
    return out;
  }

  /** What is replayed, for titles: the workload name or the trace's file name. */
  public String inputName() {
    return workload != null ? workload : trace.getFileName().toString();
  }

  /** The combination, e.g. {@code bitmap/iommufd/coalesce}. */
  public String combination() {
    return store + "/" + dma + "/" + mapping;
  }
}
