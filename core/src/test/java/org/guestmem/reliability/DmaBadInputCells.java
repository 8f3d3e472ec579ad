package org.guestmem.reliability;

import static org.guestmem.reliability.BadInputMatrix.Category.BAD_VALUE;
import static org.guestmem.reliability.BadInputMatrix.Category.MISALIGNED;
import static org.guestmem.reliability.BadInputMatrix.Category.NEGATIVE;
import static org.guestmem.reliability.BadInputMatrix.Category.NULL;
import static org.guestmem.reliability.BadInputMatrix.Category.OUT_OF_RANGE;
import static org.guestmem.reliability.BadInputMatrix.Category.OVERFLOW;
import static org.guestmem.reliability.BadInputMatrix.Category.UNKNOWN_PROVIDER;
import static org.guestmem.reliability.BadInputMatrix.Category.ZERO_LENGTH;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.guestmem.config.Providers;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.DmaConfigurationException;
import org.guestmem.dma.DmaMappingListener;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaException;

/**
 * The bad-input cells every DMA back-end shares: {@link DmaBackend#map}, {@link DmaBackend#unmap} and
 * {@link DmaBackend#cut} with misaligned, empty, wrapping and out-of-range arguments (the kernel's errno, a message
 * naming the argument and the rule, no mapping, entry or pin changed), {@link DmaMappingListener#register} with bad
 * sections and configurations, and {@link Providers#dmaBackend} with an unknown name. A back-end's test supplies
 * what its kernel answers ({@link Answers}).
 */
public final class DmaBadInputCells {
  static final long G = 4096;
  /** Where the pre-existing mapping of each cell's back-end lies: 4 GiB, four pages. */
  static final long IOVA = 1L << 32;
  static final long HOST = 0x7f00_0000_0000L;

  /**
   * What a back-end answers to each bad call: an errno name plus words of its reason (e.g. {@code EINVAL} and
   * {@code multiple}), or, for {@code cut} on a back-end that cannot cut, {@code null} errno.
   *
   * @param misaligned map with an IOVA not on a page: errno and reason words
   * @param zero map of length 0
   * @param reserved map inside the x86 interrupt window
   * @param overlap map over the existing mapping
   * @param unmapMisaligned unmap starting half-way into the existing mapping's first page
   * @param unmapBisect unmap of the existing mapping's second page
   * @param unmapZero unmap of length 0
   * @param cutMisaligned cut whose end is inside a mapping but not on a page ({@code null}: cannot cut)
   * @param cutZero cut of length 0 (ignored when the back-end cannot cut)
   */
  public record Answers(String[] misaligned, String[] zero, String[] reserved, String[] overlap,
      String[] unmapMisaligned, String[] unmapBisect, String[] unmapZero, String[] cutMisaligned, String[] cutZero) {}

  private DmaBadInputCells() {}

  /** Adds the cells for the back-end {@code open} makes (a fresh one per cell), under the name {@code label}. */
  public static void add(BadInputMatrix matrix, String label, Supplier<DmaBackend> open, Answers a) {
    mapCells(matrix, label, open, a);
    unmapCells(matrix, label, open, a);
    cutCells(matrix, label, open, a);
    registerCells(matrix, label, open);
  }

  /** A back-end holding one mapping of four pages at {@link #IOVA}, and its observable state. */
  private record Held(DmaBackend backend) {
    static Held open(Supplier<DmaBackend> open) {
      DmaBackend b = open.get();
      b.map(IOVA, 4 * G, HOST, true, true);
      return new Held(b);
    }

    Object state() {
      return List.of(backend.mappingRuns(), backend.entries(), backend.pinnedBytes(),
          backend.capabilities().remainingEntries());
    }
  }

  private static void dmaCell(BadInputMatrix matrix, String entry, BadInputMatrix.Category category,
      Supplier<DmaBackend> open, String[] answer, String value, java.util.function.Consumer<DmaBackend> call) {
    Held h = Held.open(open);
    matrix.cell(entry, category, DmaException.class, value, answer[0], h::state, () -> {
      try {
        call.accept(h.backend());
      } catch (DmaException e) {
        if (!e.getMessage().contains(answer[1])) {
          throw new AssertionError(entry + ": the reason does not say '" + answer[1] + "': " + e.getMessage(), e);
        }
        throw e;
      }
    });
  }

  private static void mapCells(BadInputMatrix matrix, String label, Supplier<DmaBackend> open, Answers a) {
    String entry = label + ".map";
    dmaCell(matrix, entry, MISALIGNED, open, a.misaligned(), "0x100100800",
        b -> b.map(IOVA + 0x100800, G, HOST + 0x100000, true, true));
    dmaCell(matrix, entry, MISALIGNED, open, a.misaligned(), "0x1800",
        b -> b.map(IOVA + 0x100000, 0x1800, HOST + 0x100000, true, true));
    dmaCell(matrix, entry, ZERO_LENGTH, open, a.zero(), "0x0", b -> b.map(IOVA + 0x100000, 0, HOST, true, true));
    dmaCell(matrix, entry, OVERFLOW, open, new String[] {"EOVERFLOW", "wraps"}, "0xfffffffffffff000",
        b -> b.map(-G, 2 * G, HOST, true, true));
    dmaCell(matrix, entry, NEGATIVE, open, new String[] {"EOVERFLOW", "wraps"}, "0xfffffffffffff000",
        b -> b.map(IOVA + 0x100000, -G, HOST, true, true));
    dmaCell(matrix, entry, OUT_OF_RANGE, open, a.reserved(), "0xfee00000",
        b -> b.map(0xfee0_0000L, G, HOST, true, true));
    dmaCell(matrix, entry, OUT_OF_RANGE, open, a.reserved(), "0x1000000000000",
        b -> b.map(1L << 48, G, HOST, true, true));
    dmaCell(matrix, entry, BAD_VALUE, open, a.overlap(), "0x100001000",
        b -> b.map(IOVA + G, G, HOST + G, true, true));
  }

  private static void unmapCells(BadInputMatrix matrix, String label, Supplier<DmaBackend> open, Answers a) {
    String entry = label + ".unmap";
    dmaCell(matrix, entry, MISALIGNED, open, a.unmapMisaligned(), "0x100000800", b -> b.unmap(IOVA + 0x800, G));
    dmaCell(matrix, entry, BAD_VALUE, open, a.unmapBisect(), "0x100001000", b -> b.unmap(IOVA + G, G));
    dmaCell(matrix, entry, ZERO_LENGTH, open, a.unmapZero(), "0x0", b -> b.unmap(IOVA, 0));
    dmaCell(matrix, entry, OVERFLOW, open, new String[] {"EOVERFLOW", "wraps"}, "0xfffffffffffff000",
        b -> b.unmap(-G, 2 * G));
    dmaCell(matrix, entry, NEGATIVE, open, new String[] {"EOVERFLOW", "wraps"}, "0xffffffffffffe000",
        b -> b.unmap(IOVA, -2 * G));
  }

  private static void cutCells(BadInputMatrix matrix, String label, Supplier<DmaBackend> open, Answers a) {
    String entry = label + ".cut";
    if (a.cutMisaligned() == null) {
      Held h = Held.open(open);
      matrix.cell(entry, BAD_VALUE, UnsupportedOperationException.class, h.backend().name(), "cannot cut",
          h::state, () -> h.backend().cut(IOVA, G));
      return;
    }
    dmaCell(matrix, entry, MISALIGNED, open, a.cutMisaligned(), "0x100001800", b -> b.cut(IOVA, 0x1800));
    dmaCell(matrix, entry, ZERO_LENGTH, open, a.cutZero(), "0x0", b -> b.cut(IOVA, 0));
    dmaCell(matrix, entry, OVERFLOW, open, new String[] {"EOVERFLOW", "wraps"}, "0xfffffffffffff000",
        b -> b.cut(-G, 2 * G));
  }

  private static void registerCells(BadInputMatrix matrix, String label, Supplier<DmaBackend> open) {
    String entry = "DmaMappingListener.register(" + label + ")";
    long size = 64 * G;
    AttributeManager m = AttributeManager.builder().layout(new RegionLayout(size, G, IOVA, HOST))
        .store(new ModelStoreProvider()).build();
    m.share(0, 8 * G);
    DmaBackend b = open.get();
    Supplier<Object> state = () -> List.of(b.mappingRuns(), m.listenerCount());
    String rule = "must be non-empty and inside the region of size 0x40000";
    matrix.cell(entry, MISALIGNED, IllegalArgumentException.class, "[0x800, +0x1000)",
        "is not aligned to the granularity 0x1000", state,
        () -> DmaMappingListener.register(m, 0x800, G, b, MappingPolicy.GRANULE));
    matrix.cell(entry, NEGATIVE, IllegalArgumentException.class, "[0xfffffffffffff000, +0x1000)", rule, state,
        () -> DmaMappingListener.register(m, -G, G, b, MappingPolicy.GRANULE));
    matrix.cell(entry, OUT_OF_RANGE, IllegalArgumentException.class, "[0x3f000, +0x2000)", rule, state,
        () -> DmaMappingListener.register(m, size - G, 2 * G, b, MappingPolicy.GRANULE));
    matrix.cell(entry, OVERFLOW, IllegalArgumentException.class, "[0x7ffffffffffff000, +0x2000)", rule, state,
        () -> DmaMappingListener.register(m, Long.MAX_VALUE - 0xfff, 2 * G, b, MappingPolicy.GRANULE));
    matrix.cell(entry, ZERO_LENGTH, IllegalArgumentException.class, "[0x0, +0x0)", rule, state,
        () -> DmaMappingListener.register(m, 0, 0, b, MappingPolicy.GRANULE));
    matrix.cell(entry, NULL, NullPointerException.class, "manager", "must not be null", state,
        () -> DmaMappingListener.register(null, b, MappingPolicy.GRANULE));
    matrix.cell(entry, NULL, NullPointerException.class, "backend", "must not be null", state,
        () -> DmaMappingListener.register(m, null, MappingPolicy.GRANULE));
    matrix.cell(entry, NULL, NullPointerException.class, "policy", "must not be null", state,
        () -> DmaMappingListener.register(m, b, null));
    AttributeManager reserved = AttributeManager.builder()
        .layout(new RegionLayout(size, G, 0xfee0_0000L - 16 * G, HOST)).store(new ModelStoreProvider()).build();
    reserved.share(0, G);
    matrix.cell(entry, OUT_OF_RANGE, DmaConfigurationException.class, "IOVA [0xfedf0000, 0xfee2ffff]",
        "does not lie inside one of", () -> List.of(b.mappingRuns(), reserved.listenerCount()),
        () -> DmaMappingListener.register(reserved, b, MappingPolicy.GRANULE));
    AttributeManager unaligned = AttributeManager.builder()
        .layout(new RegionLayout(size, G, IOVA, HOST + 0x800)).store(new ModelStoreProvider()).build();
    if (b.capabilities().minPageSize() > 1) {
      matrix.cell(entry, MISALIGNED, DmaConfigurationException.class, "host address 0x7f0000000800",
          "must be multiples of", () -> List.of(b.mappingRuns(), unaligned.listenerCount()),
          () -> DmaMappingListener.register(unaligned, b, MappingPolicy.GRANULE));
    }
    if (!b.capabilities().canCut()) {
      matrix.cell(entry, BAD_VALUE, DmaConfigurationException.class, "coalesce", "needs a back-end that can cut",
          state, () -> DmaMappingListener.register(m, b, MappingPolicy.COALESCE));
    }
    matrix.cell("Providers.dmaBackend", UNKNOWN_PROVIDER, IllegalArgumentException.class, "'nope'",
        "unknown DMA back-end", null, () -> Providers.dmaBackend("nope").open(Map.of()));
  }
}
