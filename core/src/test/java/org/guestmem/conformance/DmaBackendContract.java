package org.guestmem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.guestmem.region.BackingFile;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;
import org.guestmem.spi.IovaRange;
import org.guestmem.spi.MappingRun;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every {@link DmaBackend} meets: the kernel's own rules for map, unmap, cut and unmap-all, run against
 * the embedded models here and, unchanged, against the real kernel (inside a VM with the device nodes).
 *
 * <p>Written for the real kernel too: every IOVA lies inside the ranges the back-end reports, and every vaddr comes
 * from {@link #allocateBuffer}, which the implementing test backs with a real anonymous {@code mmap}, so that the
 * kernel can pin the pages. The few places where the kernels differ are chosen by {@link #unmapRules()}.
 *
 * <pre>{@code
 * class Type1ContractTest implements DmaBackendContract {
 *   public DmaBackend open() { return new Type1Provider().open(Map.of("kernel", "embedded")); }
 *   public UnmapRules unmapRules() { return UnmapRules.TYPE1V2; }
 *   public long allocateBuffer(long bytes) { return AnonymousMemory.map(bytes); }
 *   public void freeBuffer(long vaddr, long bytes) { AnonymousMemory.unmap(vaddr, bytes); }
 * }
 * }</pre>
 *
 * <p>The type1 and iommufd tests, embedded and real-kernel, do exactly that through one abstract class,
 * {@code org.guestmem.dma.conformance.DmaContractSuite} in linux-uapi's test-jar ({@code guestmem-linux-uapi},
 * type {@code test-jar}), which a third party's back-end extends too; {@link org.guestmem.spi.DmaBackendProvider}
 * lists what a back-end must provide.
 */
public interface DmaBackendContract {
  long PAGE = 4096;
  long MIB = 1 << 20;
  /** The buffer every case maps from: 8 MiB, so that a few 2 MiB-aligned mappings fit. */
  long BUFFER = 8 * MIB;

  /** How a back-end's {@link DmaBackend#unmap} treats ranges that cut mappings or hold none. */
  enum UnmapRules {
    /** VFIO type1v2: a bisect fails with EINVAL and removes nothing; an empty range returns 0. */
    TYPE1V2(Errno.EINVAL, false, false),
    /**
     * iommufd {@code IOMMU_IOAS_UNMAP}: a cut fails with ENOENT after the ascending walk removed the whole mappings
     * before the cut one; an empty range fails with ENOENT.
     */
    IOMMUFD(Errno.ENOENT, true, true);

    final Errno bisect;
    final boolean walkRemovesEarlier;
    final boolean emptyFails;

    UnmapRules(Errno bisect, boolean walkRemovesEarlier, boolean emptyFails) {
      this.bisect = bisect;
      this.walkRemovesEarlier = walkRemovesEarlier;
      this.emptyFails = emptyFails;
    }
  }

  /** A new, empty address space of the back-end under test. */
  DmaBackend open();

  /** The unmap rules of the back-end under test. */
  UnmapRules unmapRules();

  /** A page-aligned buffer of {@code bytes} real, writable user memory (an anonymous mmap); returns its address. */
  long allocateBuffer(long bytes);

  /** Releases a buffer from {@link #allocateBuffer}. */
  void freeBuffer(long vaddr, long bytes);

  /**
   * The file a buffer from {@link #allocateBuffer} is (a memfd), with the file offset of its first byte, or null when
   * buffers are anonymous memory. A back-end whose {@link DmaBackend#mapFileLimitation()} is empty is tested with
   * file-backed buffers.
   */
  default BackingFile backingFileOf(long vaddr) {
    return null;
  }

  /** Whether mapping pins memory (false for iommufd without an attached domain, which pins lazily). */
  default boolean pinsOnMap() {
    return true;
  }

  /** Operations per seed in the randomized case. */
  default int operationsPerSeed() {
    return 2_000;
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Fixture

  /** An open back-end, a buffer, and an IOVA base inside the reported ranges; closes both. */
  final class Fixture implements AutoCloseable {
    final DmaBackendContract owner;
    final DmaBackend backend;
    final long base;
    final long vaddr;

    Fixture(DmaBackendContract owner) {
      this.owner = owner;
      this.backend = owner.open();
      this.base = iovaBase(backend.capabilities());
      this.vaddr = owner.allocateBuffer(BUFFER);
    }

    /** Maps pages {@code [first, first + count)} of the window, vaddr at the same offset in the buffer. */
    void mapPages(long first, long count) {
      backend.map(base + first * PAGE, count * PAGE, vaddr + first * PAGE, true, true);
    }

    long iova(long page) {
      return base + page * PAGE;
    }

    @Override
    public void close() {
      try {
        backend.close();
      } finally {
        owner.freeBuffer(vaddr, BUFFER);
      }
    }
  }

  private Fixture fixture() {
    return new Fixture(this);
  }

  /**
   * The first 2 MiB-aligned IOVA at or above 256 MiB (0x10000000, as in docs/linux-uapi-facts.md's real-kernel appendix) in a
   * reported range with room for the whole buffer.
   */
  static long iovaBase(DmaCapabilities caps) {
    for (IovaRange r : caps.iovaRanges()) {
      long start = Math.max(r.start(), 0x1000_0000L);
      long aligned = (start + 2 * MIB - 1) & -(2 * MIB);
      if (Long.compareUnsigned(aligned, start) >= 0 && r.contains(aligned, BUFFER)) {
        return aligned;
      }
    }
    throw new AssertionError("no reported IOVA range has room for " + BUFFER + " bytes at or above 256 MiB: "
        + caps.iovaRanges());
  }

  private static DmaException expectErrno(Errno errno, Runnable call) {
    DmaException e = assertThrows(DmaException.class, call::run);
    assertEquals(errno.number(), e.errno(), () -> "expected " + errno + " but got: " + e.getMessage());
    assertFalse(e.ioctl().isEmpty(), "the exception names the ioctl");
    assertFalse(e.arguments().isEmpty(), "the exception carries the arguments");
    return e;
  }

  private static void assertMappings(DmaBackend b, DmaMapping... expected) {
    assertEquals(List.of(expected), b.mappings(), "mappings");
    assertEquals(maximalRuns(List.of(expected)), b.mappingRuns(), "the run walk: maximal runs of these mappings");
    assertEquals(expected.length, b.entries(), "entries");
    assertEquals(expected.length * b.capabilities().kernelBytesPerEntry(), b.kernelBytesEstimate(),
        "kernel-memory estimate = entries x bytes per entry");
  }

  /** The maximal runs of {@code mappings} (ascending): what a back-end's run walk reports for them. */
  static List<MappingRun> maximalRuns(List<DmaMapping> mappings) {
    return MappingRun.maximal(mappings.stream().map(MappingRun::of).toList());
  }

  private DmaMapping m(Fixture f, long firstPage, long pages) {
    return new DmaMapping(f.iova(firstPage), pages * PAGE, f.vaddr + firstPage * PAGE, true, true);
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Capabilities

  @Test
  default void capabilitiesDescribeTheAddressSpace() {
    try (Fixture f = fixture()) {
      DmaCapabilities c = f.backend.capabilities();
      assertTrue(c.minPageSize() >= 1 && c.minPageSize() <= PAGE, "smallest IOMMU page is at most 4 KiB: " + c);
      assertFalse(c.iovaRanges().isEmpty(), "at least one usable IOVA range");
      for (int i = 1; i < c.iovaRanges().size(); i++) {
        assertTrue(Long.compareUnsigned(c.iovaRanges().get(i - 1).last(), c.iovaRanges().get(i).start()) < 0,
            "IOVA ranges ascend and are disjoint: " + c.iovaRanges());
      }
      assertTrue(c.remainingEntries() > 0);
      assertTrue(c.kernelBytesPerEntry() > 0);
      assertEquals(c.canCut(), c.cutLimitation().isEmpty());
      String d = c.description();
      assertTrue(d.contains(c.realKernel() ? "real" : "embedded"), "description says which kernel path: " + d);
      assertTrue(d.contains(f.backend.name()), "description names the provider: " + d);
      assertEquals(0, f.backend.entries());
      assertEquals(0, f.backend.pinnedBytes());
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Map

  @Test
  default void mapAndExactUnmapReturnTheBytesAndAccountForThem() {
    try (Fixture f = fixture()) {
      long before = f.backend.capabilities().remainingEntries();
      f.mapPages(0, 16);
      f.mapPages(32, 1);
      assertMappings(f.backend, m(f, 0, 16), m(f, 32, 1));
      assertEquals(pinsOnMap() ? 17 * PAGE : 0, f.backend.pinnedBytes());
      if (before != Long.MAX_VALUE) {
        assertEquals(before - 2, f.backend.capabilities().remainingEntries(), "each mapping takes one entry");
      }
      assertEquals(16 * PAGE, f.backend.unmap(f.iova(0), 16 * PAGE));
      assertMappings(f.backend, m(f, 32, 1));
      assertEquals(pinsOnMap() ? PAGE : 0, f.backend.pinnedBytes());
      if (before != Long.MAX_VALUE) {
        assertEquals(before - 1, f.backend.capabilities().remainingEntries(), "an unmap gives the entry back");
      }
    }
  }

  @Test
  default void overlappingMapsFailWithEexistAndChangeNothing() {
    try (Fixture f = fixture()) {
      f.mapPages(8, 8);
      long[][] overlaps = {{8, 8}, {4, 8}, {12, 8}, {0, 32}, {9, 1}, {15, 1}, {7, 2}};
      for (long[] o : overlaps) {
        DmaException e = expectErrno(Errno.EEXIST, () -> f.mapPages(o[0], o[1]));
        assertTrue(e.getMessage().contains(Long.toHexString(f.iova(o[0]))), e.getMessage());
        assertMappings(f.backend, m(f, 8, 8));
      }
      f.mapPages(0, 8);
      f.mapPages(16, 1);
      assertMappings(f.backend, m(f, 0, 8), m(f, 8, 8), m(f, 16, 1));
    }
  }

  @Test
  default void invalidMapsFailWithTheKernelsErrnoAndChangeNothing() {
    try (Fixture f = fixture()) {
      expectErrno(Errno.EINVAL, () -> f.backend.map(f.iova(0), 0, f.vaddr, true, true));
      expectErrno(Errno.EINVAL, () -> f.backend.map(f.iova(0), PAGE, f.vaddr, false, false));
      if (f.backend.capabilities().minPageSize() > 1) {
        expectErrno(Errno.EINVAL, () -> f.backend.map(f.iova(0) + 512, PAGE, f.vaddr, true, true));
        expectErrno(Errno.EINVAL, () -> f.backend.map(f.iova(0), PAGE + 512, f.vaddr, true, true));
      }
      // A range that wraps the 64-bit space: EOVERFLOW on the newest kernels, EINVAL before (docs/linux-uapi-facts.md 1.5).
      DmaException wrap = assertThrows(DmaException.class, () -> f.backend.map(-PAGE, 2 * PAGE, f.vaddr, true, true));
      assertTrue(wrap.errno() == Errno.EOVERFLOW.number() || wrap.errno() == Errno.EINVAL.number(),
          wrap.getMessage());
      assertMappings(f.backend);
      assertEquals(0, f.backend.pinnedBytes());
    }
  }

  /**
   * A back-end that maps files follows {@link DmaBackend#map}'s rules with the file offset in place of the address
   * (and its mappings share one IOVA space with those by address), refuses a bad descriptor with EBADF and changes
   * nothing on any refusal; one that does not refuses with its stated limitation and maps nothing.
   */
  @Test
  default void mapFileFollowsTheRulesOfMapOrSaysWhyItCannot() {
    try (Fixture f = fixture()) {
      String limitation = f.backend.mapFileLimitation();
      if (!limitation.isEmpty()) {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
            () -> f.backend.mapFile(f.iova(0), PAGE, 0, 0, true, true));
        assertTrue(e.getMessage().contains(limitation), e.getMessage());
        assertMappings(f.backend);
        return;
      }
      BackingFile file = backingFileOf(f.vaddr);
      assertNotNull(file, "a back-end that maps files is tested with file-backed buffers");
      long offset = file.offset();
      f.backend.mapFile(f.iova(4), 4 * PAGE, file.fd(), offset + 4 * PAGE, true, true);
      f.mapPages(8, 2);
      DmaMapping byFile = new DmaMapping(f.iova(4), 4 * PAGE, offset + 4 * PAGE, true, true);
      assertMappings(f.backend, byFile, m(f, 8, 2));
      assertEquals(pinsOnMap() ? 6 * PAGE : 0, f.backend.pinnedBytes());
      expectErrno(Errno.EEXIST, () -> f.backend.mapFile(f.iova(6), 4 * PAGE, file.fd(), offset, true, true));
      expectErrno(Errno.EEXIST, () -> f.backend.mapFile(f.iova(9), PAGE, file.fd(), offset, true, true));
      expectErrno(Errno.EEXIST, () -> f.mapPages(7, 1));
      expectErrno(Errno.EINVAL, () -> f.backend.mapFile(f.iova(0), 0, file.fd(), offset, true, true));
      expectErrno(Errno.EINVAL, () -> f.backend.mapFile(f.iova(0), PAGE, file.fd(), offset, false, false));
      if (f.backend.capabilities().minPageSize() > 1) {
        expectErrno(Errno.EINVAL, () -> f.backend.mapFile(f.iova(0), PAGE, file.fd(), offset + 512, true, true));
        expectErrno(Errno.EINVAL, () -> f.backend.mapFile(f.iova(0) + 512, PAGE, file.fd(), offset, true, true));
      }
      expectErrno(Errno.EBADF, () -> f.backend.mapFile(f.iova(0), PAGE, -1, offset, true, true));
      expectErrno(Errno.EBADF, () -> f.backend.mapFile(f.iova(0), PAGE, 1 << 20, offset, true, true));
      assertMappings(f.backend, byFile, m(f, 8, 2));
      expectErrno(unmapRules().bisect, () -> f.backend.unmap(f.iova(4), 2 * PAGE));
      assertEquals(4 * PAGE, f.backend.unmap(f.iova(4), 4 * PAGE));
      assertMappings(f.backend, m(f, 8, 2));
      assertEquals(pinsOnMap() ? 2 * PAGE : 0, f.backend.pinnedBytes());
    }
  }

  @Test
  default void mapsOutsideTheUsableIovaRangesFailWithEinval() {
    try (Fixture f = fixture()) {
      List<IovaRange> ranges = f.backend.capabilities().iovaRanges();
      long gap = -1;
      for (int i = 0; i + 1 < ranges.size() && gap < 0; i++) {
        long afterLast = ranges.get(i).last() + 1;
        if (Long.compareUnsigned(afterLast, ranges.get(i + 1).start()) < 0 && afterLast % PAGE == 0) {
          gap = afterLast;
        }
      }
      IovaRange top = ranges.get(ranges.size() - 1);
      if (gap < 0 && top.last() != -1L && (top.last() + 1) % PAGE == 0) {
        gap = top.last() + 1;
      }
      assumeTrue(gap >= 0, "the back-end reports no reserved IOVA window to test: " + ranges);
      long hole = gap;
      expectErrno(Errno.EINVAL, () -> f.backend.map(hole, PAGE, f.vaddr, true, true));
      // A range starting inside the usable range but running into the reserved one.
      expectErrno(Errno.EINVAL, () -> f.backend.map(hole - PAGE, 2 * PAGE, f.vaddr, true, true));
      assertMappings(f.backend);
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Unmap

  @Test
  default void unmapRemovesEveryWholeMappingInTheRangeAcrossHoles() {
    try (Fixture f = fixture()) {
      f.mapPages(0, 4);
      f.mapPages(8, 4);
      f.mapPages(12, 2);
      f.mapPages(30, 2);
      assertEquals(10 * PAGE, f.backend.unmap(f.iova(0), 14 * PAGE));
      assertMappings(f.backend, m(f, 30, 2));
      assertEquals(2 * PAGE, f.backend.unmap(f.iova(20), 20 * PAGE));
      assertMappings(f.backend);
    }
  }

  @Test
  default void unmapThatBisectsAMappingFailsAsTheKernelDoes() {
    UnmapRules rules = unmapRules();
    try (Fixture f = fixture()) {
      f.mapPages(0, 4);
      f.mapPages(4, 4);
      // The end cuts the second mapping: type1 removes nothing; iommufd's walk has removed the first one already.
      expectErrno(rules.bisect, () -> f.backend.unmap(f.iova(0), 6 * PAGE));
      if (rules.walkRemovesEarlier) {
        assertMappings(f.backend, m(f, 4, 4));
        f.mapPages(0, 4);
      } else {
        assertMappings(f.backend, m(f, 0, 4), m(f, 4, 4));
      }
      // The start cuts the first mapping: both kernels fail before removing anything.
      expectErrno(rules.bisect, () -> f.backend.unmap(f.iova(2), 6 * PAGE));
      assertMappings(f.backend, m(f, 0, 4), m(f, 4, 4));
      // A hole-free sub-range strictly inside one mapping.
      expectErrno(rules.bisect, () -> f.backend.unmap(f.iova(1), PAGE));
      assertMappings(f.backend, m(f, 0, 4), m(f, 4, 4));
      assertEquals(pinsOnMap() ? 8 * PAGE : 0, f.backend.pinnedBytes());
    }
  }

  @Test
  default void unmapOfARangeWithoutMappingsFollowsTheKernel() {
    try (Fixture f = fixture()) {
      f.mapPages(0, 1);
      if (unmapRules().emptyFails) {
        expectErrno(Errno.ENOENT, () -> f.backend.unmap(f.iova(4), 4 * PAGE));
      } else {
        assertEquals(0, f.backend.unmap(f.iova(4), 4 * PAGE));
      }
      assertMappings(f.backend, m(f, 0, 1));
    }
  }

  @Test
  default void invalidUnmapsFailAndChangeNothing() {
    try (Fixture f = fixture()) {
      f.mapPages(0, 4);
      expectErrno(Errno.EINVAL, () -> f.backend.unmap(f.iova(0), 0));
      if (f.backend.capabilities().minPageSize() > 1 && unmapRules() == UnmapRules.TYPE1V2) {
        expectErrno(Errno.EINVAL, () -> f.backend.unmap(f.iova(0) + 512, PAGE));
      }
      DmaException wrap = assertThrows(DmaException.class, () -> f.backend.unmap(-PAGE, 2 * PAGE));
      assertTrue(wrap.errno() == Errno.EOVERFLOW.number() || wrap.errno() == Errno.EINVAL.number(),
          wrap.getMessage());
      assertMappings(f.backend, m(f, 0, 4));
    }
  }

  @Test
  default void unmapAllRemovesEverythingAndReturnsTheTotal() {
    try (Fixture f = fixture()) {
      assertEquals(0, f.backend.unmapAll(), "unmap-all of an empty space");
      f.mapPages(0, 3);
      f.mapPages(100, 5);
      assertEquals(8 * PAGE, f.backend.unmapAll());
      assertMappings(f.backend);
      assertEquals(0, f.backend.pinnedBytes());
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Cut

  @Test
  default void cutEitherCutsExactlyOrSaysWhyItCannot() {
    try (Fixture f = fixture()) {
      f.mapPages(0, 256);
      DmaCapabilities c = f.backend.capabilities();
      if (!c.canCut()) {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
            () -> f.backend.cut(f.iova(5), PAGE));
        assertTrue(e.getMessage().contains(c.cutLimitation()), e.getMessage());
        assertMappings(f.backend, m(f, 0, 256));
        return;
      }
      // The sequence checked on a real 6.12 kernel (docs/linux-uapi-facts.md, appendix), scaled to this window.
      long before = f.backend.pinnedBytes();
      assertEquals(PAGE, f.backend.cut(f.iova(5), PAGE), "cut a middle page");
      assertMappings(f.backend, m(f, 0, 5), m(f, 6, 250));
      assertEquals(PAGE, f.backend.cut(f.iova(0), PAGE), "cut the head page");
      assertMappings(f.backend, m(f, 1, 4), m(f, 6, 250));
      assertEquals(4 * PAGE, f.backend.unmap(f.iova(1), 4 * PAGE), "the cut left separate mappings");
      expectErrno(unmapRules().bisect, () -> f.backend.unmap(f.iova(10), PAGE));
      assertMappings(f.backend, m(f, 6, 250));
      assertEquals(pinsOnMap() ? before - 6 * PAGE : 0, f.backend.pinnedBytes());
      // A cut across two mappings and a hole cuts both ends and unmaps everything between.
      f.mapPages(300, 10);
      assertEquals((256 - 100 + 5) * PAGE, f.backend.cut(f.iova(100), 205 * PAGE));
      assertMappings(f.backend, m(f, 6, 94), m(f, 305, 5));
      assertEquals(0, f.backend.cut(f.iova(400), 8 * PAGE), "a cut of a hole unmaps nothing");
      assertEquals(99 * PAGE, f.backend.unmapAll());
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Runs of uniform mappings: every mapping of a run keeps its own boundaries

  /** {@code count} mappings of {@code pages} pages each from page {@code first}, made one after the other. */
  private static void mapEach(Fixture f, long first, long count, long pages) {
    for (long k = 0; k < count; k++) {
      f.mapPages(first + k * pages, pages);
    }
  }

  private MappingRun run(Fixture f, long firstPage, long count, long pages) {
    return new MappingRun(f.iova(firstPage), f.vaddr + firstPage * PAGE, pages * PAGE, count, true, true);
  }

  @Test
  default void unmapOfOneMappingOfARunRemovesExactlyItAtTheFirstMiddleAndLastMapping() {
    try (Fixture f = fixture()) {
      long before = f.backend.capabilities().remainingEntries();
      mapEach(f, 0, 16, 1);
      assertEquals(List.of(run(f, 0, 16, 1)), f.backend.mappingRuns(), "16 page mappings made in order: one run");
      assertEquals(16, f.backend.entries());
      // An unmap that starts at a boundary between two mappings of the run bisects nothing.
      assertEquals(PAGE, f.backend.unmap(f.iova(7), PAGE), "the middle mapping");
      assertEquals(PAGE, f.backend.unmap(f.iova(0), PAGE), "the first mapping");
      assertEquals(PAGE, f.backend.unmap(f.iova(15), PAGE), "the last mapping");
      List<DmaMapping> left = new ArrayList<>();
      for (long p : new long[] {1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14}) {
        left.add(m(f, p, 1));
      }
      assertMappings(f.backend, left.toArray(DmaMapping[]::new));
      assertEquals(List.of(run(f, 1, 6, 1), run(f, 8, 7, 1)), f.backend.mappingRuns());
      assertEquals(pinsOnMap() ? 13 * PAGE : 0, f.backend.pinnedBytes());
      if (before != Long.MAX_VALUE) {
        assertEquals(before - 13, f.backend.capabilities().remainingEntries(), "each unmap gave its entry back");
      }
      assertEquals(3 * PAGE, f.backend.unmap(f.iova(2), 3 * PAGE), "three mappings inside one run");
      assertEquals(List.of(run(f, 1, 1, 1), run(f, 5, 2, 1), run(f, 8, 7, 1)), f.backend.mappingRuns());
      assertEquals(10, f.backend.entries());
      assertEquals(10 * PAGE, f.backend.unmapAll());
    }
  }

  @Test
  default void unmapThatEndsInsideAMappingOfARunFailsAsForSeparateMappings() {
    UnmapRules rules = unmapRules();
    try (Fixture f = fixture()) {
      mapEach(f, 0, 8, 2);
      assertEquals(List.of(run(f, 0, 8, 2)), f.backend.mappingRuns(), "8 two-page mappings: one run");
      // Starts inside the first mapping: both kernels refuse before removing anything.
      expectErrno(rules.bisect, () -> f.backend.unmap(f.iova(1), 2 * PAGE));
      assertEquals(List.of(run(f, 0, 8, 2)), f.backend.mappingRuns());
      // Starts at the second mapping, ends inside the third: iommufd's walk has removed the second one already.
      expectErrno(rules.bisect, () -> f.backend.unmap(f.iova(2), 3 * PAGE));
      if (rules.walkRemovesEarlier) {
        assertEquals(List.of(run(f, 0, 1, 2), run(f, 4, 6, 2)), f.backend.mappingRuns());
        assertEquals(7, f.backend.entries());
        f.mapPages(2, 2);
      }
      assertEquals(List.of(run(f, 0, 8, 2)), f.backend.mappingRuns(), "a map in the hole joins the run again");
      // Ends inside the last mapping.
      expectErrno(rules.bisect, () -> f.backend.unmap(f.iova(14), PAGE));
      assertEquals(8, f.backend.entries());
      assertEquals(pinsOnMap() ? 16 * PAGE : 0, f.backend.pinnedBytes());
      assertEquals(16 * PAGE, f.backend.unmap(f.iova(0), 16 * PAGE), "the whole run at once");
      assertMappings(f.backend);
    }
  }

  @Test
  default void cutInsideTheFirstMiddleAndLastMappingOfARunCutsOnlyThatMapping() {
    try (Fixture f = fixture()) {
      mapEach(f, 0, 8, 4);
      DmaCapabilities c = f.backend.capabilities();
      if (!c.canCut()) {
        assertThrows(UnsupportedOperationException.class, () -> f.backend.cut(f.iova(13), PAGE));
        assertEquals(List.of(run(f, 0, 8, 4)), f.backend.mappingRuns());
        return;
      }
      assertEquals(PAGE, f.backend.cut(f.iova(1), PAGE), "inside the first mapping");
      assertEquals(2 * PAGE, f.backend.cut(f.iova(13), 2 * PAGE), "inside a middle mapping");
      assertEquals(2 * PAGE, f.backend.cut(f.iova(30), 2 * PAGE), "the tail of the last mapping");
      assertMappings(f.backend, m(f, 0, 1), m(f, 2, 2), m(f, 4, 4), m(f, 8, 4), m(f, 12, 1), m(f, 15, 1),
          m(f, 16, 4), m(f, 20, 4), m(f, 24, 4), m(f, 28, 2));
      assertEquals(List.of(run(f, 0, 1, 1), run(f, 2, 1, 2), run(f, 4, 2, 4), run(f, 12, 1, 1), run(f, 15, 1, 1),
          run(f, 16, 3, 4), run(f, 28, 1, 2)), f.backend.mappingRuns());
      // Across the boundary of two mappings: each is cut once, the pieces outside stay.
      assertEquals(4 * PAGE, f.backend.cut(f.iova(18), 4 * PAGE));
      assertMappings(f.backend, m(f, 0, 1), m(f, 2, 2), m(f, 4, 4), m(f, 8, 4), m(f, 12, 1), m(f, 15, 1),
          m(f, 16, 2), m(f, 22, 2), m(f, 24, 4), m(f, 28, 2));
      // Exactly one mapping of the run: nothing is cut.
      assertEquals(4 * PAGE, f.backend.cut(f.iova(4), 4 * PAGE));
      assertEquals(9, f.backend.entries());
      assertEquals(pinsOnMap() ? 19 * PAGE : 0, f.backend.pinnedBytes());
      assertEquals(PAGE, f.backend.unmap(f.iova(15), PAGE), "a piece of a cut mapping is a mapping");
      assertEquals(18 * PAGE, f.backend.unmapAll());
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Entry limit

  @Test
  default void mapsPastTheEntryLimitFailWithEnospc() {
    try (Fixture f = fixture()) {
      long remaining = f.backend.capabilities().remainingEntries();
      assumeTrue(remaining <= 70_000, "no entry limit to exhaust (remaining " + remaining + ")");
      // Use 4 KiB mappings at distinct IOVAs backed by the same buffer page: the kernel allows aliasing vaddrs.
      long iova = f.base;
      for (long i = 0; i < remaining; i++) {
        f.backend.map(iova + i * PAGE, PAGE, f.vaddr, true, false);
      }
      assertEquals(0, f.backend.capabilities().remainingEntries());
      DmaException e = expectErrno(Errno.ENOSPC, () -> f.backend.map(iova - PAGE, PAGE, f.vaddr, true, false));
      assertNotNull(e.getMessage());
      assertEquals(remaining, f.backend.entries());
      assertEquals(PAGE, f.backend.unmap(iova, PAGE));
      f.backend.map(iova - PAGE, PAGE, f.vaddr, true, false);
      assertEquals(remaining * PAGE, f.backend.unmapAll());
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Close

  @Test
  default void closeUnmapsEverythingAndIsIdempotent() {
    DmaBackend b;
    try (Fixture f = fixture()) {
      b = f.backend;
      f.mapPages(0, 8);
      f.mapPages(64, 8);
      f.backend.close();
      assertEquals(0, b.entries());
      assertEquals(0, b.pinnedBytes());
      assertEquals(List.of(), b.mappingRuns());
      f.backend.close();
      assertThrows(DmaException.class, () -> b.map(f.iova(0), PAGE, f.vaddr, true, true),
          "a closed back-end refuses to map");
    }
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Randomized: the back-end against a per-page reference of the kernel's rules

  @TestFactory
  default Stream<DynamicTest> randomOperationsFollowTheKernelsRules() {
    String fixed = System.getProperty("guestmem.test.seed");
    LongStream seeds = fixed != null ? LongStream.of(Long.parseLong(fixed)) : LongStream.of(1, 2, 3, 4);
    return seeds.mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> randomRun(seed)));
  }

  private void randomRun(long seed) {
    final int pages = 64;
    SplittableRandom rnd = new SplittableRandom(seed);
    UnmapRules rules = unmapRules();
    try (Fixture f = fixture()) {
      boolean cut = f.backend.capabilities().canCut();
      // Reference: per page, the first page of the mapping holding it (or -1), and each mapping's length.
      long[] owner = new long[pages];
      Arrays.fill(owner, -1);
      long[] length = new long[pages];
      for (int op = 0; op < operationsPerSeed(); op++) {
        int kind = rnd.nextInt(cut ? 3 : 2);
        int first = rnd.nextInt(pages);
        int count = 1 + rnd.nextInt(Math.min(8, pages - first));
        String what = "seed " + seed + " op " + op + ": " + new String[] {"map", "unmap", "cut"}[kind] + " pages ["
            + first + ", " + (first + count) + ")";
        Errno expected = null;
        long expectedBytes = 0;
        List<long[]> removals = new ArrayList<>();
        if (kind == 0) {
          for (int p = first; p < first + count; p++) {
            if (owner[p] >= 0) {
              expected = Errno.EEXIST;
            }
          }
        } else {
          boolean startCuts = owner[first] >= 0 && owner[first] != first;
          int last = first + count - 1;
          boolean endCuts = owner[last] >= 0 && owner[last] + length[(int) owner[last]] - 1 != last;
          for (int p = first; p <= last; p++) {
            if (owner[p] == p) {
              long end = p + length[p];
              boolean whole = end - 1 <= last;
              if (kind == 1 && !whole) {
                break;
              }
              removals.add(new long[] {p, Math.min(end, last + 1)});
            }
          }
          if (kind == 1 && (startCuts || endCuts)) {
            expected = rules.bisect;
            if (startCuts || !rules.walkRemovesEarlier) {
              removals.clear();
            }
          } else if (kind == 2) {
            removals.clear();
            for (int p = first; p <= last; p++) {
              if (owner[p] >= 0) {
                expectedBytes += PAGE;
              }
            }
          } else {
            for (long[] r : removals) {
              expectedBytes += (r[1] - r[0]) * PAGE;
            }
            if (expectedBytes == 0 && rules.emptyFails) {
              expected = Errno.ENOENT;
            }
          }
        }
        try {
          long got = switch (kind) {
            case 0 -> {
              f.mapPages(first, count);
              yield 0;
            }
            case 1 -> f.backend.unmap(f.iova(first), count * PAGE);
            default -> f.backend.cut(f.iova(first), count * PAGE);
          };
          if (expected != null) {
            fail(what + ": expected " + expected + " but the call succeeded");
          }
          assertEquals(expectedBytes, got, what + ": bytes unmapped");
        } catch (DmaException e) {
          if (expected == null || e.errno() != expected.number()) {
            fail(what + ": expected " + (expected == null ? "success" : expected) + " but got " + e.getMessage(), e);
          }
        }
        // Apply to the reference.
        if (kind == 0 && expected == null) {
          for (int p = first; p < first + count; p++) {
            owner[p] = first;
          }
          length[first] = count;
        } else if (kind == 1) {
          for (long[] r : removals) {
            for (long p = r[0]; p < r[1]; p++) {
              owner[(int) p] = -1;
            }
          }
        } else if (kind == 2) {
          int last = first + count - 1;
          splitReference(owner, length, first);
          splitReference(owner, length, last + 1);
          for (int p = first; p <= last; p++) {
            owner[p] = -1;
          }
        }
        List<DmaMapping> want = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
          if (owner[p] == p) {
            want.add(m(f, p, length[p]));
          }
        }
        assertEquals(want, f.backend.mappings(), what + ": mappings");
        assertEquals(maximalRuns(want), f.backend.mappingRuns(), what + ": runs");
        long mapped = want.stream().mapToLong(DmaMapping::length).sum();
        assertEquals(pinsOnMap() ? mapped : 0, f.backend.pinnedBytes(), what + ": pinned bytes");
      }
    }
  }

  /** Makes {@code page} the first page of its own mapping in the reference, as a cut there would. */
  private static void splitReference(long[] owner, long[] length, int page) {
    if (page >= owner.length || owner[page] < 0 || owner[page] == page) {
      return;
    }
    int head = (int) owner[page];
    long end = head + length[head];
    length[head] = page - head;
    length[page] = end - page;
    for (int p = page; p < end; p++) {
      owner[p] = page;
    }
  }
}
