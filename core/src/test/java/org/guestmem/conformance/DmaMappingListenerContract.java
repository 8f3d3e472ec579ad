package org.guestmem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.guestmem.dma.DmaConfigurationException;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.EntryLimitPolicy;
import org.guestmem.dma.MappingAuditor;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.AttributeManagerBuilder;
import org.guestmem.region.BackingFile;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MappingRun;
import org.guestmem.spi.IovaRange;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The mapping listener ({@link DmaMappingListener}) on a back-end: both policies where the back-end supports them,
 * the registration checks, compensation as set operations, and randomized conversions with injected back-end
 * failures, with {@link MappingAuditor} asserting after every operation that mapped pages equal populated pages,
 * nothing is mapped twice, and after close nothing is mapped or pinned.
 *
 * <p>Implemented by the same test classes as {@link DmaBackendContract} (the methods have the same signatures).
 */
public interface DmaMappingListenerContract {
  long G = 4096;

  /** A new, empty address space of the back-end under test. */
  DmaBackend open();

  /** A page-aligned buffer of {@code bytes} of real user memory; returns its address. */
  long allocateBuffer(long bytes);

  /** Releases a buffer from {@link #allocateBuffer}. */
  void freeBuffer(long vaddr, long bytes);

  /** The file a buffer is, or null (see {@link DmaBackendContract#backingFileOf}). */
  BackingFile backingFileOf(long vaddr);

  /**
   * The layout of a region of {@code bytes} at {@code iova} backed by the buffer at {@code host}: naming the buffer's
   * backing file when it has one, so that a back-end that maps files maps this region by file.
   */
  static RegionLayout layoutOf(DmaMappingListenerContract owner, long bytes, long iova, long host) {
    RegionLayout layout = new RegionLayout(bytes, G, iova, host);
    BackingFile file = owner.backingFileOf(host);
    return file == null ? layout : layout.withBackingFile(file.fd(), file.offset());
  }

  /** Operations per seed in the randomized case. */
  default int listenerOperationsPerSeed() {
    return 600;
  }

  /** A region of {@code blocks} granules, backed by a real buffer, at an IOVA inside the back-end's ranges. */
  final class Setup implements AutoCloseable {
    final DmaMappingListenerContract owner;
    final DmaBackend raw;
    final FailingDmaBackend backend;
    final AttributeManager manager;
    final long host;
    final long bytes;

    Setup(DmaMappingListenerContract owner, long blocks, boolean pluggable) {
      this.owner = owner;
      this.raw = owner.open();
      this.backend = new FailingDmaBackend(raw);
      this.bytes = blocks * G;
      this.host = owner.allocateBuffer(bytes);
      long iova = iovaFor(raw, bytes);
      AttributeManagerBuilder b = AttributeManager.builder().layout(layoutOf(owner, bytes, iova, host))
          .store(new ModelStoreProvider());
      if (pluggable) {
        b.plugSource(true);
      }
      this.manager = b.build();
    }

    @Override
    public void close() {
      try {
        raw.close();
      } finally {
        owner.freeBuffer(host, bytes);
      }
    }
  }

  /** A 2 MiB-aligned IOVA at or above 4 GiB inside the back-end's ranges with room for {@code bytes}. */
  static long iovaFor(DmaBackend backend, long bytes) {
    for (IovaRange r : backend.capabilities().iovaRanges()) {
      long start = Math.max(r.start(), 1L << 32);
      long aligned = (start + (2 << 20) - 1) & -(2L << 20);
      if (Long.compareUnsigned(aligned, start) >= 0 && r.contains(aligned, bytes)) {
        return aligned;
      }
    }
    throw new AssertionError("no IOVA range of " + backend.name() + " holds " + bytes + " bytes above 4 GiB");
  }

  private Setup setup(long blocks) {
    return new Setup(this, blocks, false);
  }

  private static boolean canCut(DmaBackend b) {
    return b.capabilities().canCut();
  }

  private static void audit(DmaMappingListener l, String when) {
    List<String> problems = MappingAuditor.audit(l);
    assertTrue(problems.isEmpty(), when + ": " + problems);
  }

  // ----------------------------------------------------------------------------------------------------------------

  @Test
  default void registrationMapsThePopulatedRunsAndCloseUnmapsEverything() {
    for (MappingPolicy policy : MappingPolicy.values()) {
      try (Setup s = setup(64)) {
        assumeTrue(policy == MappingPolicy.GRANULE || canCut(s.raw), "back-end cannot cut");
        s.manager.share(4 * G, 8 * G);
        s.manager.share(32 * G, G);
        DmaMappingListener l = DmaMappingListener.register(s.manager, s.backend, policy);
        audit(l, policy + " after registration");
        assertEquals(policy == MappingPolicy.GRANULE ? 9 : 2, l.entries(), policy + " entries");
        assertEquals(9 * G, l.mappedBytes());
        BackingFile file = backingFileOf(s.host);
        boolean byFile = file != null && s.raw.mapFileLimitation().isEmpty();
        assertEquals(byFile, l.mapsByFile(), "maps by file exactly when the region names one and the back-end can");
        assertEquals(byFile ? file.offset() + 4 * G : s.host + 4 * G, s.raw.mappings().get(0).vaddr(),
            "the first mapping translates to the file offset (by file) or the host address of offset 4 granules");
        l.close();
        assertEquals(0, s.manager.listenerCount());
        MappingAuditor.checkNothingMapped(s.raw);
        l.close();
      }
    }
  }

  @Test
  default void granuleMapsOneEntryPerGranuleAndUnmapsAnySubset() {
    try (Setup s = setup(64)) {
      DmaMappingListener l = DmaMappingListener.register(s.manager, s.backend, MappingPolicy.GRANULE);
      s.manager.share(0, 16 * G);
      assertEquals(16, l.entries());
      assertEquals(16, s.raw.entries());
      s.manager.makePrivate(5 * G, G);
      s.manager.makePrivate(8 * G, 4 * G);
      audit(l, "after partial discards");
      assertEquals(11, l.entries());
      for (MappingRun r : s.raw.mappingRuns()) {
        assertEquals(G, r.entryLength(), "granule mappings " + r);
      }
      l.close();
      MappingAuditor.checkNothingMapped(s.raw);
    }
  }

  @Test
  default void coalesceMapsOneEntryPerRunAndCutsOnPartialDiscardOrIsAConfigurationError() {
    try (Setup s = setup(512)) {
      if (!canCut(s.raw)) {
        s.manager.share(0, 16 * G);
        DmaConfigurationException e = assertThrows(DmaConfigurationException.class,
            () -> DmaMappingListener.register(s.manager, s.backend, MappingPolicy.COALESCE));
        assertTrue(e.getMessage().contains("coalesce") && e.getMessage().contains(s.raw.capabilities().cutLimitation()),
            e.getMessage());
        assertEquals(0, s.manager.listenerCount());
        MappingAuditor.checkNothingMapped(s.raw);
        return;
      }
      DmaMappingListener l = DmaMappingListener.register(s.manager, s.backend, MappingPolicy.COALESCE);
      s.manager.share(0, 512 * G);
      assertEquals(1, l.entries(), "one mapping for one run");
      // partial-split: return the first 4 KiB of a 2 MiB run to private.
      s.manager.makePrivate(0, G);
      audit(l, "after discarding the head");
      assertEquals(1, l.entries());
      s.manager.makePrivate(100 * G, 3 * G);
      audit(l, "after discarding a middle stretch");
      assertEquals(2, l.entries(), "the cut leaves two pieces");
      s.manager.share(100 * G, 3 * G);
      audit(l, "after sharing the hole again");
      assertEquals(3, l.entries(), "the refilled hole is its own mapping: no merge across conversions");
      assertEquals(511 * G, l.mappedBytes());
      l.close();
      MappingAuditor.checkNothingMapped(s.raw);
    }
  }

  @Test
  default void discardsAndPopulatesOfPartlyHeldRangesAreSetOperations() {
    for (MappingPolicy policy : MappingPolicy.values()) {
      try (Setup s = setup(64)) {
        assumeTrue(policy == MappingPolicy.GRANULE || canCut(s.raw), "back-end cannot cut");
        s.manager.share(8 * G, 8 * G);
        DmaMappingListener l = DmaMappingListener.register(s.manager, s.backend, policy);
        // What the manager's compensation sends: a discard of a range held partly, then a populate of it again.
        l.discard(4 * G, 8 * G);
        assertEquals(4 * G, l.mappedBytes(), policy + ": only the held part [8, 12) was unmapped");
        l.discard(0, 4 * G);
        l.populate(4 * G, 8 * G);
        assertEquals(12 * G, l.mappedBytes(), policy + ": the populate maps only what is not held");
        l.discard(4 * G, 4 * G);
        audit(l, policy + " after compensation-shaped calls");
        l.close();
        MappingAuditor.checkNothingMapped(s.raw);
      }
    }
  }

  @Test
  default void theEntryLimitRefusesRegistrationWhenStrictAndTheConversionPastItOnDemand() {
    try (Setup probe = setup(1)) {
      long remaining = probe.raw.capabilities().remainingEntries();
      assumeTrue(remaining < 1_000_000, "the back-end has no entry limit");
    }
    DmaBackend b = open();
    try {
      long remaining = b.capabilities().remainingEntries();
      long blocks = remaining + 1;
      long host = allocateBuffer(blocks * G);
      try {
        AttributeManager m = AttributeManager.builder()
            .layout(layoutOf(this, blocks * G, iovaFor(b, blocks * G), host))
            .store(new ModelStoreProvider()).build();
        m.share(0, G);
        DmaConfigurationException e = assertThrows(DmaConfigurationException.class,
            () -> DmaMappingListener.register(m, b, MappingPolicy.GRANULE, EntryLimitPolicy.STRICT));
        assertTrue(e.getMessage().contains(Long.toString(blocks)), "names the entries needed: " + e.getMessage());
        assertTrue(e.getMessage().contains(b.capabilities().entryLimitSetting()), e.getMessage());
        assertEquals(0, m.listenerCount());
        assertEquals(0, b.entries(), "nothing was mapped");

        // On demand (QEMU's way): registered; the conversion that passes the limit is refused (ENOSPC) and undone.
        DmaMappingListener l = DmaMappingListener.register(m, b, MappingPolicy.GRANULE, EntryLimitPolicy.ON_DEMAND);
        assertEquals(1, b.entries());
        Throwable refused = assertThrows(ConversionException.class, () -> m.share(0, blocks * G));
        assertTrue(refused.getCause() instanceof DmaException d && d.errnoConstant() == Errno.ENOSPC,
            "the kernel's refusal is the cause: " + refused.getCause());
        assertTrue(((ConversionException) refused).isConsistent(), refused.toString());
        assertFalse(m.isPopulated(G, G), "the refused conversion was undone");
        assertEquals(1, b.entries(), "its maps were undone");
        MappingAuditor.check(l);
        m.share(0, remaining * G);
        assertEquals(remaining, b.entries(), "up to the limit every conversion is mapped");
        MappingAuditor.check(l);
        l.close();
        MappingAuditor.checkNothingMapped(b);
      } finally {
        freeBuffer(host, blocks * G);
      }
    } finally {
      b.close();
    }
  }

  @Test
  default void sectionsInAReservedIovaWindowAreRejectedAtRegistration() {
    DmaBackend b = open();
    try {
      List<IovaRange> ranges = b.capabilities().iovaRanges();
      assumeTrue(ranges.size() > 1, "no reserved window between the ranges: " + ranges);
      long straddle = (ranges.get(0).last() + 1) - 4 * G;
      long host = allocateBuffer(8 * G);
      try {
        AttributeManager m = AttributeManager.builder().layout(layoutOf(this, 8 * G, straddle, host))
            .store(new ModelStoreProvider()).build();
        DmaConfigurationException e = assertThrows(DmaConfigurationException.class,
            () -> DmaMappingListener.register(m, b, MappingPolicy.GRANULE));
        assertTrue(e.getMessage().contains("IOVA"), e.getMessage());
      } finally {
        freeBuffer(host, 8 * G);
      }
    } finally {
      b.close();
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Randomized with injected failures

  @TestFactory
  default Stream<DynamicTest> randomConversionsWithInjectedFailuresKeepMappingsEqualToPopulatedPages() {
    String fixed = System.getProperty("guestmem.test.seed");
    LongStream seeds = fixed != null ? LongStream.of(Long.parseLong(fixed)) : LongStream.rangeClosed(1, 6);
    List<DynamicTest> tests = new ArrayList<>();
    seeds.forEach(seed -> {
      for (MappingPolicy policy : MappingPolicy.values()) {
        tests.add(DynamicTest.dynamicTest(policy.configName() + " seed " + seed, () -> randomRun(seed, policy)));
      }
    });
    return tests.stream();
  }

  private void randomRun(long seed, MappingPolicy policy) {
    final long blocks = 256;
    SplittableRandom rnd = new SplittableRandom(seed);
    try (Setup s = new Setup(this, blocks, true)) {
      assumeTrue(policy == MappingPolicy.GRANULE || canCut(s.raw), "back-end cannot cut");
      long sectionFirst = rnd.nextLong(blocks / 4);
      long sectionBlocks = blocks / 2 + rnd.nextLong(blocks / 4);
      for (int i = 0; i < 10; i++) {
        long at = rnd.nextLong(blocks - 16);
        s.manager.share(at * G, (1 + rnd.nextLong(16)) * G);
      }
      DmaMappingListener l = DmaMappingListener.register(s.manager, sectionFirst * G, sectionBlocks * G, s.backend,
          policy);
      Function<String, String> ctx = what -> policy.configName() + " seed " + seed + ": " + what;
      audit(l, ctx.apply("after registration"));
      int conversions = 0;
      int refused = 0;
      for (int op = 0; op < listenerOperationsPerSeed(); op++) {
        if (rnd.nextInt(4) == 0) {
          s.backend.failOn(1 + rnd.nextInt(6),
              rnd.nextBoolean() ? FailingDmaBackend.Mode.BEFORE : FailingDmaBackend.Mode.PARTIAL);
        }
        long first = rnd.nextLong(blocks);
        long count = 1 + rnd.nextLong(Math.min(blocks - first, rnd.nextInt(8) == 0 ? 64 : 8));
        int kind = rnd.nextInt(10);
        String what = ctx.apply("op " + op + " " + new String[] {"share", "private", "plug", "unplug"}[
            kind < 4 ? 0 : kind < 8 ? 1 : kind < 9 ? 2 : 3] + " blocks [" + first + ", " + (first + count) + ")");
        try {
          if (kind < 4) {
            s.manager.share(first * G, count * G);
          } else if (kind < 8) {
            s.manager.makePrivate(first * G, count * G);
          } else if (kind < 9) {
            s.manager.plug(first * G, count * G);
          } else {
            s.manager.unplug(first * G, count * G);
          }
          conversions++;
        } catch (ConversionException e) {
          refused++;
          assertTrue(e.isConsistent(), what + ": compensation failed: " + e);
        }
        s.backend.heal();
        List<String> inRange = MappingAuditor.audit(l, first * G, count * G);
        assertTrue(inRange.isEmpty(), what + ": the check of the converted range: " + inRange);
        audit(l, what);
      }
      assertTrue(conversions > 0 && refused > 0,
          ctx.apply("the run exercised both outcomes: " + conversions + " done, " + refused + " refused"));
      try {
        l.close();
      } catch (ConversionException e) {
        fail(ctx.apply("close failed: " + e));
      }
      MappingAuditor.checkNothingMapped(s.raw);
      assertFalse(s.raw.capabilities().description().isEmpty());
    }
  }
}
