package org.guestmem.it.realkernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.guestmem.linux.AnonymousMemory;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;
import org.guestmem.spi.IovaRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Certifies the embedded kernel models: the same seeded random sequence of map, unmap, cut and unmap-all calls goes
 * to the real kernel and to the embedded model, and after every call both must agree on the outcome (success with
 * the bytes unmapped, or the errno), on the mappings held and, for type1, on the entries left ({@code DMA_AVAIL},
 * which the real back-end reads from the kernel). At the end the model's final mappings are checked against the
 * kernel itself: each is unmapped exactly on the real back-end (which fails if the kernel holds it split, merged or
 * not at all) and a final unmap-all must find nothing left.
 *
 * <p>The sequences mix ordinary calls with the kernel's corner cases: overlaps, bisecting unmaps, empty ranges,
 * zero lengths, misaligned IOVAs, sizes and vaddrs, ranges that wrap the 64-bit space, maps into the interrupt
 * window, aliased vaddrs, no access flags, and (type1, with {@code dma_entry_limit} = 6) running out of entries.
 * Replay one sequence with {@code -Dguestmem.test.seed=N}.
 */
class DifferentialTest {
  static final long PAGE = 4096;
  /** The window the sequences work in: 64 pages at 256 MiB, inside every target's usable ranges. */
  static final int WINDOW = 64;
  static final long BASE = 0x1000_0000L;
  /** Buffer pages: the window plus room for aliased vaddrs and overhanging lengths. */
  static final int BUFFER_PAGES = WINDOW + 32;
  static final long TYPE1_LIMIT = 6;
  static final int OPERATIONS = 600;
  /** x86 interrupt window, reserved once a device sits behind the Intel IOMMU. */
  static final long MSI_WINDOW = 0xfee0_0000L;

  private static final AtomicLong CALLS = new AtomicLong();
  private static final AtomicLong VERIFIED = new AtomicLong();
  private static final AtomicLong DISAGREEMENTS = new AtomicLong();
  private static final Map<String, AtomicLong> OUTCOMES = new TreeMap<>();

  private record Target(String name, Supplier<DmaBackend> real, Supplier<DmaBackend> model, boolean type1) {}

  private static List<Target> targets() {
    return List.of(
        new Target("type1 (dma_entry_limit=6)", () -> {
          RealKernel.setEntryLimit(TYPE1_LIMIT);
          return RealKernel.type1();
        }, () -> RealKernel.type1Model(TYPE1_LIMIT), true),
        new Target("iommufd, no device", () -> RealKernel.iommufd(false, false),
            () -> RealKernel.iommufdModel(false, false), false),
        new Target("iommufd, no device, cut", () -> RealKernel.iommufd(false, true),
            () -> RealKernel.iommufdModel(false, true), false),
        new Target("iommufd + edu cdev", () -> RealKernel.iommufd(true, false),
            () -> RealKernel.iommufdModel(true, false), false),
        new Target("iommufd + edu cdev, cut", () -> RealKernel.iommufd(true, true),
            () -> RealKernel.iommufdModel(true, true), false));
  }

  @TestFactory
  Stream<DynamicTest> realKernelAndEmbeddedModelAnswerEveryCallAlike() {
    String fixed = System.getProperty("guestmem.test.seed");
    List<DynamicTest> tests = new ArrayList<>();
    for (Target t : targets()) {
      LongStream seeds = fixed != null ? LongStream.of(Long.parseLong(fixed)) : LongStream.rangeClosed(1, 4);
      seeds.forEach(seed -> tests.add(DynamicTest.dynamicTest(t.name() + " seed " + seed, () -> run(t, seed))));
    }
    return tests.stream();
  }

  @AfterAll
  static void total() {
    RealKernel.setEntryLimit(RealKernel.DEFAULT_ENTRY_LIMIT);
    System.out.printf("differential: TOTAL %d calls compared call by call (%d disagreements), %d final mappings "
        + "verified on the kernel by exact unmap; real kernel's outcomes %s%n", CALLS.get(), DISAGREEMENTS.get(),
        VERIFIED.get(), OUTCOMES);
  }

  private enum Kind { MAP, UNMAP, CUT, UNMAP_ALL }

  private record Op(Kind kind, long iova, long length, long vaddr, boolean readable, boolean writable) {
    @Override
    public String toString() {
      return switch (kind) {
        case MAP -> String.format("map(iova=0x%x, length=0x%x, vaddr=buffer+0x%x, %s%s)", iova, length, vaddr,
            readable ? "r" : "-", writable ? "w" : "-");
        case UNMAP -> String.format("unmap(iova=0x%x, length=0x%x)", iova, length);
        case CUT -> String.format("cut(iova=0x%x, length=0x%x)", iova, length);
        case UNMAP_ALL -> "unmapAll()";
      };
    }
  }

  /** The next call of a sequence; depends only on the random stream, never on either back-end's answers. */
  private static Op next(SplittableRandom rnd) {
    int roll = rnd.nextInt(100);
    Kind kind = roll < 48 ? Kind.MAP : roll < 82 ? Kind.UNMAP : roll < 97 ? Kind.CUT : Kind.UNMAP_ALL;
    int first = rnd.nextInt(WINDOW);
    int pages = 1 + rnd.nextInt(kind == Kind.MAP ? 8 : 12);
    long iova = BASE + first * PAGE;
    long length = pages * PAGE;
    long vaddrOffset = (rnd.nextInt(10) == 0 ? rnd.nextInt(WINDOW) : first) * PAGE;
    boolean readable = true;
    boolean writable = true;
    int access = rnd.nextInt(25);
    if (access == 0) {
      readable = false;
      writable = false;
    } else if (access <= 2) {
      writable = false;
    } else if (access <= 4) {
      readable = false;
    }
    switch (rnd.nextInt(40)) {
      case 0 -> length = 0;
      case 1 -> iova += 512;
      case 2 -> length += 512;
      case 3 -> vaddrOffset += 512;
      case 4 -> {
        iova = -PAGE; // wraps the 64-bit space
        length = 2 * PAGE;
      }
      case 5 -> iova = MSI_WINDOW + (rnd.nextInt(4) * PAGE); // inside the interrupt window with a device
      case 6 -> {
        iova = BASE - PAGE; // straddles the window's start: hits only what an earlier case 5/odd map put there
        length = 2 * PAGE;
      }
      default -> { }
    }
    return new Op(kind, iova, length, vaddrOffset, readable, writable);
  }

  /**
   * The usable ranges must agree except for the top of the aperture, which is the machine's, not a rule: QEMU's
   * intel-iommu has a 39-bit address width (aw-bits), the models assume a 48-bit VT-d domain. No call of the
   * sequences goes near either top.
   */
  private static void compareRanges(Target target, List<IovaRange> real, List<IovaRange> model) {
    assertEquals(model.size(), real.size(), "number of usable IOVA ranges: real " + real + ", model " + model);
    for (int i = 0; i < real.size(); i++) {
      assertEquals(model.get(i).start(), real.get(i).start(), "start of range " + i);
      if (i + 1 < real.size()) {
        assertEquals(model.get(i).last(), real.get(i).last(), "end of range " + i);
      }
    }
    long realTop = real.get(real.size() - 1).last();
    long modelTop = model.get(model.size() - 1).last();
    if (realTop != modelTop && NOTED.add(target.name())) {
      System.out.printf("differential: NOTE %s: top of the IOVA aperture differs: real kernel 0x%x (%d-bit), "
          + "embedded model 0x%x (%d-bit); not a rule, the machine's IOMMU address width%n", target.name(), realTop,
          64 - Long.numberOfLeadingZeros(realTop), modelTop, 64 - Long.numberOfLeadingZeros(modelTop));
    }
  }

  private static final java.util.Set<String> NOTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static String apply(DmaBackend b, Op op, long buffer) {
    try {
      return switch (op.kind()) {
        case MAP -> {
          b.map(op.iova(), op.length(), buffer + op.vaddr(), op.readable(), op.writable());
          yield "ok";
        }
        case UNMAP -> "ok, unmapped 0x" + Long.toHexString(b.unmap(op.iova(), op.length()));
        case CUT -> "ok, unmapped 0x" + Long.toHexString(b.cut(op.iova(), op.length()));
        case UNMAP_ALL -> "ok, unmapped 0x" + Long.toHexString(b.unmapAll());
      };
    } catch (DmaException e) {
      Errno errno = Errno.of(e.errno());
      return errno == null ? "errno " + e.errno() : errno.name();
    } catch (UnsupportedOperationException e) {
      return "unsupported";
    } catch (IllegalArgumentException | IllegalStateException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  private static void run(Target target, long seed) {
    long buffer = AnonymousMemory.map(BUFFER_PAGES * PAGE);
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, Integer> outcomes = new TreeMap<>();
    List<String> recent = new ArrayList<>();
    try (DmaBackend real = target.real().get(); DmaBackend model = target.model().get()) {
      assertTrue(real.capabilities().realKernel(), real.capabilities().description());
      assertTrue(!model.capabilities().realKernel(), model.capabilities().description());
      compareRanges(target, real.capabilities().iovaRanges(), model.capabilities().iovaRanges());
      assertEquals(model.capabilities().minPageSize(), real.capabilities().minPageSize(), "IOMMU page size");
      assertEquals(model.capabilities().canCut(), real.capabilities().canCut(), "can cut");
      List<String> disagreements = new ArrayList<>();
      for (int i = 0; i < OPERATIONS; i++) {
        Op op = next(rnd);
        String got = apply(real, op, buffer);
        String want = apply(model, op, buffer);
        recent.add("#" + i + " " + op + " -> " + got);
        if (recent.size() > 8) {
          recent.remove(0);
        }
        String where = String.format("%s seed %d call #%d %s%n  previous calls (real kernel's answers):%n    %s%n",
            target.name(), seed, i, op, String.join("\n    ", recent));
        if (!want.equals(got)) {
          // Keep going while both still hold the same mappings, so one run reports every kind of disagreement.
          disagreements.add(String.format("call #%d %s: real kernel %s, embedded model %s", i, op, got, want));
        }
        assertEquals(model.mappings(), real.mappings(), "mappings after " + where + "disagreements so far: "
            + disagreements);
        assertEquals(model.entries(), real.entries(), "entries after " + where);
        if (target.type1()) {
          assertEquals(model.capabilities().remainingEntries(), real.capabilities().remainingEntries(),
              "DMA_AVAIL (entries left, read from the kernel) after " + where);
        }
        outcomes.merge(got.startsWith("ok") ? "ok" : got.replaceFirst(":.*", ""), 1, Integer::sum);
      }
      CALLS.addAndGet(OPERATIONS);
      synchronized (OUTCOMES) {
        outcomes.forEach((k, v) -> OUTCOMES.computeIfAbsent(k, x -> new AtomicLong()).addAndGet(v));
      }
      // The kernel's own view of the final state: every mapping the model holds comes off exactly, nothing else.
      List<DmaMapping> last = model.mappings();
      for (DmaMapping m : last) {
        assertEquals(m.length(), real.unmap(m.iova(), m.length()),
            target.name() + " seed " + seed + ": the kernel holds " + m + " exactly as the model does");
      }
      assertEquals(0, real.unmapAll(), target.name() + " seed " + seed + ": the kernel holds nothing else");
      VERIFIED.addAndGet(last.size());
      if (!disagreements.isEmpty()) {
        System.out.printf("differential: %-28s seed %d: %d calls compared, %d DISAGREE (real kernel's outcomes "
            + "%s); %d final mappings verified on the kernel%n", target.name(), seed, OPERATIONS,
            disagreements.size(), outcomes, last.size());
        DISAGREEMENTS.addAndGet(disagreements.size());
        disagreements.stream().limit(5).forEach(d ->
            System.out.printf("differential: DISAGREEMENT %s seed %d %s%n", target.name(), seed, d));
        throw new AssertionError(String.format("%s seed %d: the embedded model answered %d of %d calls "
            + "differently from the real kernel (mappings stayed equal):%n  %s", target.name(), seed,
            disagreements.size(), OPERATIONS, String.join("\n  ", disagreements)));
      }
      System.out.printf("differential: %-28s seed %d: %d calls compared, all equal %s; %d final mappings "
          + "verified on the kernel%n", target.name(), seed, OPERATIONS, outcomes, last.size());
    } finally {
      AnonymousMemory.unmap(buffer, BUFFER_PAGES * PAGE);
    }
  }
}
