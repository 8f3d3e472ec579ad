package org.guestmem.region;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;

/**
 * The attribute manager of one guest RAM region: QEMU's {@code RamDiscardManager} with its
 * {@code RamBlockAttributes} and virtio-mem sources, made stricter.
 *
 * <p>Each {@link Source} is a binary attribute kept in its own {@link StateStore}. A block is <em>populated</em> for
 * listeners when every source says so (shared and plugged). Changes are computed as maximal runs by merging the
 * sources' runs, never block by block, and are notified in two phases with exact rollback:
 *
 * <ol>
 *   <li>Every entry point validates first and changes nothing on bad input ({@link IllegalArgumentException}
 *       naming the value and the rule).
 *   <li>A range already in the target state succeeds with no notification; otherwise only the maximal runs whose
 *       populated state changes are notified.
 *   <li>Towards populated, the state is committed and then each listener whose section intersects is told
 *       {@code populate}, clipped to its section; towards discarded, listeners are told {@code discard} first and
 *       the state is committed after. If any listener refuses, every call made so far (the refused one included)
 *       is compensated with the opposite call, the state is restored exactly, and a {@link ConversionException} is
 *       thrown. State and listeners never disagree.
 *   <li>{@link #registerListener} replays the populated runs of the section and undoes them if the listener
 *       refuses; {@link #unregisterListener} discards them.
 *   <li>Replays visit maximal runs and stop at the first non-zero result; {@link #isPopulated} is exact for any
 *       range, also one smaller than a block.
 *   <li>Notifications are granularity multiples inside the listener's registered section.
 *   <li>Thread-safe: conversions are linearizable (one lock per region, optionally with flat combining); each
 *       successful conversion carries its {@linkplain ConversionResult#sequence() commit sequence}, a witness of
 *       the linear order. Reads see a committed state, or the state a conversion in progress has committed before
 *       notifying. Listeners must not call back into mutating methods of the same region
 *       ({@link IllegalStateException}).
 *   <li>With a {@linkplain AttributeManagerBuilder#memoryAttributes memory-attribute back-end} (KVM), a change of the shared
 *       attribute also converts the guest memory: towards private, listeners discard (DMA unmapped, pins dropped),
 *       then KVM converts the changed runs, then the store is committed; towards shared, KVM converts, the store is
 *       committed, then listeners populate. A KVM refusal at any run is compensated like a listener refusal: the
 *       runs already converted go back, the listeners get their mappings back, the store is as before.
 * </ol>
 */
public final class AttributeManager {
  private final String name;
  private final RegionLayout layout;
  private final int shift;
  private final SourceStores stores;
  private final String storeName;
  private final ListenerSet listeners;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Null when every call takes the lock itself. */
  private final FlatCombiner combiner;
  /** Null without a memory-attribute back-end. */
  private final KvmStep kvm;
  private final RegionWriter writer;
  private final ListenerRegistry registry;
  private final RegionReader reader;

  AttributeManager(String name, RegionLayout layout, SourceStores stores, String storeName, boolean combining,
      MemoryAttributeBackend memoryAttributes, int pinRetries) {
    this.name = name;
    this.layout = layout;
    this.shift = layout.granularityShift();
    this.stores = stores;
    this.storeName = storeName;
    this.listeners = new ListenerSet(shift);
    this.kvm = memoryAttributes == null ? null : new KvmStep(memoryAttributes, listeners, shift, pinRetries);
    this.writer = new RegionWriter(stores, new ChangeApplier(name, stores, listeners, shift, kvm));
    this.combiner = combining ? new FlatCombiner(writer, lock.writeLock()) : null;
    this.registry = new ListenerRegistry(lock, listeners, stores, layout);
    this.reader = new RegionReader(lock, stores, layout);
  }

  /** {@return a builder for a region's manager} */
  public static AttributeManagerBuilder builder() {
    return new AttributeManagerBuilder();
  }

  /**
   * {@return the region's name} It is {@link AttributeManagerBuilder#name}, by default the IOVA base in hex: what
   * the region's JFR events carry as {@code region}.
   */
  public String name() {
    return name;
  }

  /** {@return the region this manager tracks} */
  public RegionLayout layout() {
    return layout;
  }

  /** {@return the block size} */
  public long granularity() {
    return layout.granularity();
  }

  /** {@return the name of the state-store provider behind every source} */
  public String storeName() {
    return storeName;
  }

  /** {@return the memory-attribute back-end (KVM) conversions of the shared attribute go through, if any} */
  public Optional<MemoryAttributeBackend> memoryAttributes() {
    return kvm == null ? Optional.empty() : Optional.of(kvm.backend());
  }

  /**
   * How many conversions to private KVM refused because a page still had a reference that one of this region's own
   * listeners held after being told to discard it: a bug in that listener or in guestmem, never expected. Each was
   * refused and undone; {@link #lastHeldPinRefusal()} describes the last. {@code MappingAuditor} reports them.
   *
   * @return the number of such refusals; 0 without a memory-attribute back-end
   */
  public long heldPinRefusals() {
    return kvm == null ? 0 : kvm.heldPinRefusals();
  }

  /** {@return the last refusal {@link #heldPinRefusals()} counts, in words} */
  public Optional<String> lastHeldPinRefusal() {
    return kvm == null ? Optional.empty() : Optional.ofNullable(kvm.lastHeldPin());
  }

  /** {@return how many times a conversion to private was retried because a page was pinned outside guestmem} */
  public long pinRetriesMade() {
    return kvm == null ? 0 : kvm.pinRetriesMade();
  }

  /**
   * {@return whether this region has {@code source}}
   *
   * @param source the attribute asked about
   */
  public boolean hasSource(Source source) {
    return stores.has(source);
  }

  /**
   * Whether the region accepts changes: false once a state store failed part-way and could neither be written back
   * nor rebuilt ({@link ConversionException.StoreRecovery#FAILED}). Conversions and registrations then fail with
   * {@link IllegalStateException}; unregistering still works, discarding the listener's whole section.
   *
   * @return false once a store could not be recovered
   */
  public boolean isTrusted() {
    return stores.trusted();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Conversions

  /**
   * Converts {@code [offset, offset + length)} to shared ({@code shared == true}) or private.
   *
   * @param offset start of the range in bytes from the start of the region, a granularity multiple
   * @param length length of the range in bytes, a positive granularity multiple
   * @param shared true for shared, false for private
   * @return what the conversion did
   * @throws IllegalArgumentException if the range is misaligned, empty, overflowing or outside the region
   * @throws ConversionException if a listener refused or the store failed, with what refused as the cause (a
   *     runtime or checked exception); the conversion was undone
   * @throws Error the {@link Error} a listener or the store threw, after the conversion was undone, with the
   *     {@link ConversionException} describing the undo attached as suppressed ({@link ConversionException#of})
   * @throws IllegalStateException if the region is not {@linkplain #isTrusted() trusted}, or when called from a
   *     listener's notification
   */
  public ConversionResult convert(long offset, long length, boolean shared) {
    return change(Source.GUEST_MEMFD, offset, length, shared);
  }

  /**
   * Converts {@code [offset, offset + length)} to shared. See {@link #convert}.
   *
   * @param offset start of the range in bytes from the start of the region, a granularity multiple
   * @param length length of the range in bytes, a positive granularity multiple
   * @return what the conversion did
   */
  public ConversionResult share(long offset, long length) {
    return convert(offset, length, true);
  }

  /**
   * Converts {@code [offset, offset + length)} to private. See {@link #convert}.
   *
   * @param offset start of the range in bytes from the start of the region, a granularity multiple
   * @param length length of the range in bytes, a positive granularity multiple
   * @return what the conversion did
   */
  public ConversionResult makePrivate(long offset, long length) {
    return convert(offset, length, false);
  }

  /**
   * Plugs {@code [offset, offset + length)} (the region must have a {@link Source#PLUG} source).
   *
   * @param offset start of the range in bytes from the start of the region, a granularity multiple
   * @param length length of the range in bytes, a positive granularity multiple
   * @return what the conversion did
   * @throws IllegalStateException if the region has no plug source
   */
  public ConversionResult plug(long offset, long length) {
    return change(Source.PLUG, offset, length, true);
  }

  /**
   * Unplugs {@code [offset, offset + length)}. See {@link #plug}.
   *
   * @param offset start of the range in bytes from the start of the region, a granularity multiple
   * @param length length of the range in bytes, a positive granularity multiple
   * @return what the conversion did
   */
  public ConversionResult unplug(long offset, long length) {
    return change(Source.PLUG, offset, length, false);
  }

  /**
   * Sets {@code source} to its populated value ({@code populated == true}) or its discarded value over the range,
   * notifying listeners of every block whose aggregate populated state changes. Failures are reported as
   * {@link #convert} describes.
   *
   * <p>With {@linkplain AttributeManagerBuilder#combining(boolean) combining} on, concurrent calls are queued and applied by
   * whichever caller holds the region's lock: consecutive queued calls with the same source and direction become
   * one conversion, so that adjacent 4 KiB conversions from different vCPU threads cost one notification per
   * maximal run. Listeners may then be called on another caller's thread. If a combined conversion is refused, it
   * is undone and each call is retried alone, so only the calls a listener really refuses fail; if that undo itself
   * failed, every call of the group gets its {@link ConversionException} ({@code isConsistent()} false).
   *
   * @param source the attribute to change
   * @param offset start of the range in bytes from the start of the region, a granularity multiple
   * @param length length of the range in bytes, a positive granularity multiple
   * @param populated true for the source's populated value (shared, plugged), false for its discarded value
   * @return what the conversion did
   */
  public ConversionResult change(Source source, long offset, long length, boolean populated) {
    Objects.requireNonNull(source, "source must not be null");
    RangeRules.checkAligned("conversion", offset, length, layout);
    if (!stores.has(source)) {
      throw new IllegalStateException("this region has no " + source + " source; add it with the builder");
    }
    if (lock.isWriteLockedByCurrentThread()) {
      throw new IllegalStateException(
          "a listener may not change the region or its listeners from inside a notification");
    }
    long from = offset >>> shift;
    long to = (offset + length) >>> shift;
    if (combiner != null) {
      return combiner.apply(source, from, to, populated);
    }
    lock.writeLock().lock();
    try {
      return writer.applyAlone(source, from, to, populated);
    } catch (ConversionException e) {
      throw e.surface();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Conversions queued for the combiner and not yet taken; for tests that need a known amount of contention. */
  int queuedConversions() {
    return combiner == null ? 0 : combiner.queued();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // For GuestMemoryMap: its conversions take this region's write lock and apply a part through its writer

  ReentrantReadWriteLock lock() {
    return lock;
  }

  RegionWriter writer() {
    return writer;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Listeners

  /**
   * Registers {@code listener} for the section {@code [offset, offset + length)} and replays its populated runs to
   * it. If the listener refuses (throws anything), whatever it was told is discarded again, it is not registered,
   * and the refusal reaches the caller as {@link #convert} describes. If one of those discards fails too
   * ({@link ConversionException#isConsistent()} false), the listener may still hold some of the runs, so it stays
   * registered, to be told when they are discarded, and {@link ConversionException#listenerKept()} names it; its
   * owner releases it with {@link #unregisterListener}.
   *
   * @param listener the listener, not null
   * @param offset start of the section in bytes from the start of the region, a granularity multiple
   * @param length length of the section in bytes, a positive granularity multiple
   * @throws IllegalArgumentException if the section is misaligned or outside the region, or the listener is
   *     already registered
   * @throws IllegalStateException if the region is not {@linkplain #isTrusted() trusted}
   */
  public void registerListener(RamDiscardListener listener, long offset, long length) {
    registry.register(listener, offset, length);
  }

  /**
   * Unregisters {@code listener}, first discarding every populated run of its section (the whole section when the
   * region is not {@linkplain #isTrusted() trusted}). If it refuses a discard, it is re-populated, stays registered,
   * and the refusal reaches the caller as {@link #convert} describes.
   *
   * @param listener a registered listener, not null
   * @throws IllegalArgumentException if the listener is not registered
   */
  public void unregisterListener(RamDiscardListener listener) {
    registry.unregister(listener);
  }

  /**
   * {@return whether {@code listener} is registered (for example one a refused registration kept)}
   *
   * @param listener the listener asked about
   */
  public boolean isRegistered(RamDiscardListener listener) {
    return registry.isRegistered(listener);
  }

  /** {@return number of registered listeners} */
  public int listenerCount() {
    return registry.count();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reads

  /**
   * Whether every byte of {@code [offset, offset + length)} is populated. Exact for any range: a range smaller than
   * a block asks about the block that holds it.
   *
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes, positive
   * @return whether every source is populated over the whole range
   */
  public boolean isPopulated(long offset, long length) {
    return reader.isPopulated(offset, length);
  }

  /**
   * Visits the maximal populated runs of {@code [offset, offset + length)}, clipped to it, in ascending order, and
   * stops at the first non-zero result, which it returns; 0 if every call returned 0.
   *
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes, positive
   * @param visitor called once per run, not null
   * @return the first non-zero result of {@code visitor}, or 0
   */
  public int replayPopulated(long offset, long length, RunVisitor visitor) {
    return reader.replay(offset, length, true, visitor);
  }

  /**
   * As {@link #replayPopulated} for the maximal runs where any source is discarded.
   *
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes, positive
   * @param visitor called once per run, not null
   * @return the first non-zero result of {@code visitor}, or 0
   */
  public int replayDiscarded(long offset, long length, RunVisitor visitor) {
    return reader.replay(offset, length, false, visitor);
  }

  /**
   * Visits the maximal runs of each {@link BlockState} in {@code [offset, offset + length)}, clipped to it, and stops
   * at the first non-zero result, which it returns.
   *
   * @param offset start of the range in bytes from the start of the region
   * @param length length of the range in bytes, positive
   * @param visitor called once per run, not null
   * @return the first non-zero result of {@code visitor}, or 0
   */
  public int replayStates(long offset, long length, StateVisitor visitor) {
    return reader.replayStates(offset, length, visitor);
  }

  /**
   * {@return the state of the block that holds byte {@code offset}}
   *
   * @param offset a byte of the region
   */
  public BlockState stateAt(long offset) {
    return reader.stateAt(offset);
  }

  /**
   * {@return bytes in {@code state} across the whole region, in O(runs)}
   *
   * @param state the state to count
   */
  public long bytesIn(BlockState state) {
    return reader.bytesIn(state);
  }

  /** {@return bytes the state stores of every source retain} */
  public long storeMemoryBytes() {
    return reader.storeMemoryBytes();
  }

  /**
   * Shows each source's live state store to {@code measurer}, under the read lock, for a retained-size measurement
   * (e.g. JOL's {@code GraphLayout.parseInstance}) that copies nothing: a {@link #snapshot} of a large region's store
   * needs as much heap again. The measurer must neither keep nor change a store; conversions wait until it returns.
   *
   * @param measurer given each live store in turn
   */
  public void measureStores(java.util.function.Consumer<StateStore> measurer) {
    reader.measureStores(measurer);
  }

  /**
   * {@return an independent copy of {@code source}'s store (for audits, tests and migration)}
   *
   * @param source a source of this region
   * @throws IllegalStateException if the region has no such source
   */
  public StateStore snapshot(Source source) {
    return reader.snapshot(source);
  }

  @Override
  public String toString() {
    return String.format("AttributeManager[%s, size=0x%x, granularity=0x%x, store=%s, sources=%s, listeners=%d]",
        name, layout.size(), layout.granularity(), storeName, stores.sources(), listeners.size());
  }
}
