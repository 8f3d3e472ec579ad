package org.guestmem.dma;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.guestmem.dma.backend.MappingTable;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RamDiscardListener;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.IovaRange;
import org.guestmem.spi.MappingRun;

/**
 * Keeps one {@link DmaBackend} in step with the populated (shared and plugged) part of one section of a region:
 * QEMU's VFIO RAM-discard listener ({@code hw/vfio/listener.c}). Populate maps, discard unmaps; IOVA is
 * {@code layout.iovaBase() + offset}, vaddr is {@code layout.hostAddress() + offset}; mappings are readable and
 * writable.
 *
 * <p><b>By file.</b> When the region names a {@linkplain RegionLayout#backingFile() backing file} and the back-end
 * maps files ({@link DmaBackend#mapFileLimitation()} empty, e.g. iommufd opened with {@code map-file=true}), every
 * mapping is made with {@link DmaBackend#mapFile} at file offset {@code backingFile.offset() + offset} instead of a
 * user address, as QEMU does for an fd-backed RAMBlock; otherwise by user address. {@link #address(long)} says which
 * address an offset translates to.
 *
 * <h2>Policies</h2>
 *
 * <ul>
 *   <li>{@link MappingPolicy#GRANULE}: every granule of a populated run gets its own mapping; a discard is one unmap
 *       covering the held granules of the range (QEMU's "unmap with a single call").
 *   <li>{@link MappingPolicy#COALESCE}: each populated run is mapped as one mapping per stretch of it the listener
 *       does not hold yet. A discard that ends inside a mapping uses {@link DmaBackend#cut} (which cuts the mapping
 *       there and unmaps exactly the range); otherwise a plain unmap. A run is <em>not</em> merged with an adjacent
 *       mapping made by an earlier populate: no kernel can grow a mapping in place (map refuses any overlap with
 *       EEXIST and there is no merge or resize ioctl), and replacing the neighbour by unmap plus a larger map would
 *       leave shared memory that the device may be using unmapped in between. So coalesce costs one entry per
 *       populate run (plus one per cut that leaves two pieces), not one per maximal populated run; the two are equal
 *       when every populated stretch was shared by one conversion.
 * </ul>
 *
 * <h2>Checks at registration ({@link #register})</h2>
 *
 * Configuration errors fail when the listener registers, never in the middle of a run: the granularity below the
 * IOMMU page size, an IOVA base or host address not aligned to it, a section outside the back-end's usable IOVA
 * ranges, {@code coalesce} on a back-end that cannot cut (with the back-end's reason, e.g. type1v2 forbids bisecting
 * unmaps). The section may need one DMA entry per granule (every granule populated by its own conversion, QEMU's
 * worst case); when the back-end has fewer left, the {@link EntryLimitPolicy} decides: {@code strict} fails the
 * registration with the number needed and the setting to raise ({@code vfio_iommu_type1.dma_entry_limit}),
 * {@code on-demand} logs one warning and lets the conversion that passes the limit be refused (ENOSPC) and undone.
 *
 * <h2>Failures and compensation</h2>
 *
 * The listener tracks exactly what it has mapped, so populate and discard are set operations: a populate maps only
 * what it does not hold, a discard unmaps only what it holds. That is what the manager's compensation needs (a
 * discard of a range held partly, a populate of a range held partly). When a populate fails part-way, what it mapped
 * stays mapped until the manager's compensating discard removes it. When an unmap or cut fails, the listener reloads
 * its view from {@link DmaBackend#visitMappingRuns} for its IOVA window (the kernel may have removed part of the
 * range, as iommufd's walk does) and rethrows, whatever the back-end threw (a third-party back-end may throw an Error).
 *
 * <h2>Memory and cost</h2>
 *
 * The listener's view is a {@link MappingTable}: one record per run of uniform mappings, so granule mappings made one
 * after the other (a populated stretch) are one record however many granules it has. Granule policy still makes one
 * {@link DmaBackend#map} call per granule, as the kernel needs, but the listener's own work per populate or discard
 * is a few table operations per stretch it touches, and it allocates nothing per granule.
 *
 * <p>Thread-safety: calls on the back-end are made holding the back-end's monitor, so listeners of several regions
 * may share one back-end. The back-end is not closed by {@link #close()}: its owner closes it.
 *
 * <p>Every map, unmap and cut it makes is a JFR {@link org.guestmem.jfr.DmaCallEvent} carrying the region's name when
 * a recording enables that event.
 */
public final class DmaMappingListener implements RamDiscardListener, AutoCloseable {
  private final AttributeManager manager;
  private final DmaBackend backend;
  private final MappingPolicy policy;
  private final EntryLimitPolicy entryLimit;
  private final RegionLayout layout;
  private final long sectionOffset;
  private final long sectionLength;
  private final long granularity;
  private final long iovaFirst;
  private final long iovaLast;
  /** The descriptor mappings are made by file with, or -1: mapped by user address. */
  private final int fileFd;
  /** What region offset 0 translates to: the backing file's offset when mapped by file, else the host address. */
  private final long addressBase;
  private final HeldMappings held;
  /** The view of {@link #held}: what this listener has mapped. */
  private final MappingTable mapped;
  private long populateRuns;
  private boolean registered;

  /**
   * Whether a listener maps the region of {@code layout} by file: the region names a backing file and the back-end
   * maps files. {@link DmaPins} reads the back-end's pins by the same rule.
   */
  static boolean mapsByFile(RegionLayout layout, DmaBackend backend) {
    return layout.backingFile() != null && backend.mapFileLimitation().isEmpty();
  }

  private DmaMappingListener(AttributeManager manager, long offset, long length, DmaBackend backend,
      MappingPolicy policy, EntryLimitPolicy entryLimit) {
    this.manager = manager;
    this.backend = backend;
    this.policy = policy;
    this.entryLimit = entryLimit;
    this.layout = manager.layout();
    this.sectionOffset = offset;
    this.sectionLength = length;
    this.granularity = layout.granularity();
    this.iovaFirst = iova(offset);
    this.iovaLast = IovaRange.lastOf(iovaFirst, length);
    boolean byFile = mapsByFile(layout, backend);
    this.fileFd = byFile ? layout.backingFile().fd() : -1;
    this.addressBase = byFile ? layout.backingFile().offset() : layout.hostAddress();
    // Every call that changes mappings is a JFR DmaCall event carrying this region's name.
    RecordedDmaCalls calls = new RecordedDmaCalls(backend, manager.name());
    this.held = new HeldMappings(backend, calls, policy, granularity, layout.iovaBase(), addressBase, fileFd,
        iovaFirst, iovaLast);
    this.mapped = held.view();
  }

  /**
   * As {@link #register(AttributeManager, long, long, DmaBackend, MappingPolicy, EntryLimitPolicy)} with the
   * default entry-limit policy, {@link EntryLimitPolicy#ON_DEMAND on-demand} (QEMU's).
   *
   * @param manager the region's manager
   * @param offset start of the section in bytes from the start of the region, a granularity multiple
   * @param length length of the section in bytes, a positive granularity multiple
   * @param backend the address space to map in
   * @param policy how populated runs become mappings
   * @return the registered listener, which has mapped the populated runs
   */
  public static DmaMappingListener register(AttributeManager manager, long offset, long length, DmaBackend backend,
      MappingPolicy policy) {
    return register(manager, offset, length, backend, policy, EntryLimitPolicy.DEFAULT);
  }

  /**
   * Checks the configuration, then registers a listener for {@code [offset, offset + length)} of {@code manager}'s
   * region, which maps the section's populated runs before returning.
   *
   * @param manager the region's manager
   * @param offset start of the section in bytes from the start of the region, a granularity multiple
   * @param length length of the section in bytes, a positive granularity multiple
   * @param backend the address space to map in
   * @param policy how populated runs become mappings
   * @param entryLimit what to do about the back-end's entry limit
   * @return the registered listener, which has mapped the populated runs
   * @throws IllegalArgumentException if the section is not aligned to the granularity or leaves the region
   * @throws DmaConfigurationException if the back-end cannot serve this section with this policy, saying why and
   *     what to change (see the class comment)
   * @throws org.guestmem.region.ConversionException if mapping the populated runs failed (an {@link Error} the
   *     back-end threw reaches the caller as it is, with the ConversionException attached, as
   *     {@link AttributeManager#registerListener} says); nothing stays mapped. If an unmap undoing them failed too
   *     ({@code isConsistent()} false), the listener is unregistered again, which unmaps what it still held; should
   *     that fail as well (attached as suppressed), the listener stays registered with the manager, so that every
   *     mapping it holds is still removed when its blocks are discarded, and
   *     {@link org.guestmem.region.ConversionException#listenerKept()} returns it (this class) for its caller to
   *     {@link #close()} once the back-end recovers
   */
  public static DmaMappingListener register(AttributeManager manager, long offset, long length, DmaBackend backend,
      MappingPolicy policy, EntryLimitPolicy entryLimit) {
    Objects.requireNonNull(manager, "manager must not be null");
    Objects.requireNonNull(backend, "backend must not be null");
    Objects.requireNonNull(policy, "policy must not be null");
    Objects.requireNonNull(entryLimit, "entry-limit policy must not be null");
    RegistrationChecks.checkSection(manager.layout(), offset, length);
    DmaMappingListener listener = new DmaMappingListener(manager, offset, length, backend, policy, entryLimit);
    synchronized (backend) {
      RegistrationChecks.preflight(listener, backend.capabilities());
    }
    try {
      manager.registerListener(listener, offset, length);
    } catch (Throwable thrown) {
      ConversionException refused = ConversionException.of(thrown).orElse(null);
      if (refused != null && !refused.isConsistent()) {
        // The manager kept the listener because an unmap undoing the replay failed: release what it still maps,
        // then report the refusal. If that fails too, it stays registered and keeps following discards.
        listener.registered = true;
        try {
          listener.close();
        } catch (Throwable again) {
          refused.addSuppressed(again);
        }
      }
      throw thrown;
    }
    listener.registered = true;
    return listener;
  }

  /**
   * As {@link #register} for the whole region, with the default (on-demand) entry-limit policy.
   *
   * @param manager the region's manager
   * @param backend the address space to map in
   * @param policy how populated runs become mappings
   * @return the registered listener, which has mapped the populated runs
   */
  public static DmaMappingListener register(AttributeManager manager, DmaBackend backend, MappingPolicy policy) {
    return register(manager, backend, policy, EntryLimitPolicy.DEFAULT);
  }

  /**
   * As {@link #register} for the whole region.
   *
   * @param manager the region's manager
   * @param backend the address space to map in
   * @param policy how populated runs become mappings
   * @param entryLimit what to do about the back-end's entry limit
   * @return the registered listener, which has mapped the populated runs
   */
  public static DmaMappingListener register(AttributeManager manager, DmaBackend backend, MappingPolicy policy,
      EntryLimitPolicy entryLimit) {
    Objects.requireNonNull(manager, "manager must not be null");
    return register(manager, 0, manager.layout().size(), backend, policy, entryLimit);
  }

  /**
   * The most DMA entries a section of {@code length} bytes may need at {@code granularity}: one per granule, for
   * either policy (coalesce needs that many when every granule is populated by its own conversion).
   *
   * @param length the section's length in bytes
   * @param granularity the region's block size
   * @return {@code length / granularity}, unsigned
   */
  public static long entriesNeeded(long length, long granularity) {
    return Long.divideUnsigned(length, granularity);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Notifications

  @Override
  public void populate(long offset, long length) {
    checkInside("populate", offset, length);
    long first = iova(offset);
    synchronized (backend) {
      populateRuns++;
      held.map(first, IovaRange.lastOf(first, length));
    }
  }

  @Override
  public void discard(long offset, long length) {
    checkInside("discard", offset, length);
    long first = iova(offset);
    synchronized (backend) {
      held.unmap(first, IovaRange.lastOf(first, length));
    }
  }

  private void checkInside(String what, long offset, long length) {
    if (length <= 0 || offset < sectionOffset || offset + length > sectionOffset + sectionLength
        || offset % granularity != 0 || length % granularity != 0) {
      throw new IllegalArgumentException(String.format(
          "%s [0x%x, +0x%x) is not a granularity multiple inside the section [0x%x, +0x%x)", what, offset, length,
          sectionOffset, sectionLength));
    }
  }

  /** Whether this listener still maps byte {@code offset} of the region (so its page is pinned). */
  @Override
  public boolean holds(long offset) {
    synchronized (backend) {
      return mapped.holds(iova(offset));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Views

  /**
   * The mappings this listener holds, ascending by IOVA, one object per mapping: for small sections (tests,
   * diagnostics); {@link #mappingRuns()} costs one object per run.
   *
   * @return the mappings, a new list
   */
  public List<DmaMapping> mappings() {
    synchronized (backend) {
      return mapped.snapshot();
    }
  }

  /** {@return the mappings this listener holds as maximal runs of uniform mappings, ascending by IOVA} */
  public List<MappingRun> mappingRuns() {
    synchronized (backend) {
      return mapped.runs();
    }
  }

  /**
   * The runs this listener holds that overlap IOVA {@code [first, last]} (whole runs), ascending: what a check of one
   * conversion's range reads, in time proportional to the runs there.
   *
   * @param first first IOVA, inclusive
   * @param last last IOVA, inclusive
   * @return the overlapping runs, a new list
   */
  public List<MappingRun> mappingRuns(long first, long last) {
    List<MappingRun> out = new ArrayList<>();
    synchronized (backend) {
      mapped.forEachRunOverlapping(first, last, out::add);
    }
    return out;
  }

  /** {@return number of mappings this listener holds} */
  public long entries() {
    synchronized (backend) {
      return mapped.entries();
    }
  }

  /**
   * The object holding this listener's view of what it mapped, its only state that grows with the mappings, for heap
   * measurements (e.g. JOL's {@code GraphLayout.parseInstance}): it references neither the region nor the back-end.
   * Opaque; do not change it.
   *
   * @return the mapping table
   */
  public Object viewForMeasurement() {
    return mapped;
  }

  /** {@return bytes this listener has mapped} */
  public long mappedBytes() {
    synchronized (backend) {
      return mapped.bytes();
    }
  }

  /** {@return how many populate notifications (runs) this listener has been given} */
  public long populateRuns() {
    synchronized (backend) {
      return populateRuns;
    }
  }

  /**
   * What region offset {@code offset} translates to in this listener's mappings (and in the back-end's
   * {@link MappingRun#vaddr()}): the backing file's offset plus {@code offset} when it maps by file
   * ({@link #mapsByFile()}), else the host address plus {@code offset}.
   *
   * @param offset a byte of the region
   * @return the address (or file offset) the mappings use for it
   */
  public long address(long offset) {
    return addressBase + offset;
  }

  /**
   * The IOVA region offset {@code offset} is mapped at: the region's IOVA base plus {@code offset}. Every offset
   * this listener is told about becomes an IOVA here, and only here.
   *
   * @param offset a byte of the region
   * @return its IOVA
   */
  public long iova(long offset) {
    return layout.iovaBase() + offset;
  }

  /** {@return whether this listener maps with {@link DmaBackend#mapFile} (see the class comment)} */
  public boolean mapsByFile() {
    return fileFd >= 0;
  }

  /** {@return the policy} */
  public MappingPolicy policy() {
    return policy;
  }

  /** {@return what registration did about the entry limit} */
  public EntryLimitPolicy entryLimitPolicy() {
    return entryLimit;
  }

  /** {@return the back-end it maps in} */
  public DmaBackend backend() {
    return backend;
  }

  /** {@return the manager it is registered with} */
  public AttributeManager manager() {
    return manager;
  }

  /** {@return offset of the section in the region} */
  public long sectionOffset() {
    return sectionOffset;
  }

  /** {@return length of the section} */
  public long sectionLength() {
    return sectionLength;
  }

  /** {@return first IOVA of the section} */
  public long iovaFirst() {
    return iovaFirst;
  }

  /** {@return last IOVA of the section, inclusive} */
  public long iovaLast() {
    return iovaLast;
  }

  /**
   * Unregisters from the manager, which discards the populated runs and so unmaps everything this listener mapped.
   * Idempotent. Does not close the back-end.
   *
   * @throws org.guestmem.region.ConversionException if an unmap failed (the listener then stays registered)
   * @throws IllegalStateException if mappings remain after unregistering (they are unmapped first)
   */
  @Override
  public void close() {
    if (!registered) {
      return;
    }
    manager.unregisterListener(this);
    registered = false;
    synchronized (backend) {
      if (!mapped.isEmpty()) {
        throw new IllegalStateException("mappings outlived the populated runs and were unmapped at close: "
            + held.unmapAll());
      }
    }
  }

  @Override
  public String toString() {
    return String.format("DmaMappingListener[%s on %s, section [0x%x, +0x%x)]", policy.configName(),
        backend.name(), sectionOffset, sectionLength);
  }
}
