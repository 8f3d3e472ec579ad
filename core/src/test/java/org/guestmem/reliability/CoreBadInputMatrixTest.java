package org.guestmem.reliability;

import static org.guestmem.reliability.BadInputMatrix.Category.BAD_GRANULARITY;
import static org.guestmem.reliability.BadInputMatrix.Category.BAD_VALUE;
import static org.guestmem.reliability.BadInputMatrix.Category.MALFORMED_TRACE_LINE;
import static org.guestmem.reliability.BadInputMatrix.Category.MISALIGNED;
import static org.guestmem.reliability.BadInputMatrix.Category.NEGATIVE;
import static org.guestmem.reliability.BadInputMatrix.Category.NULL;
import static org.guestmem.reliability.BadInputMatrix.Category.OUT_OF_RANGE;
import static org.guestmem.reliability.BadInputMatrix.Category.OVERFLOW;
import static org.guestmem.reliability.BadInputMatrix.Category.TRACE_ADDRESS_OUTSIDE;
import static org.guestmem.reliability.BadInputMatrix.Category.UNKNOWN_PROVIDER;
import static org.guestmem.reliability.BadInputMatrix.Category.ZERO_LENGTH;
import org.guestmem.spi.Sizes;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.guestmem.config.GuestmemConfig;
import org.guestmem.config.Providers;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.conformance.RecordingListener;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.RegionLayout;
import org.guestmem.region.Source;
import org.guestmem.trace.TraceFormatException;
import org.guestmem.trace.TraceReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input matrix of core's public entry points: the attribute manager's conversions, listener registration and
 * reads, {@link RegionLayout}, the manager's builder, {@link GuestmemConfig} and {@link Sizes#parse},
 * {@link Providers}, and {@link TraceReader}. Every cell: the documented exception, a message naming the value and
 * the rule, and the region's states, the listener's view and the listener count unchanged.
 */
class CoreBadInputMatrixTest {
  private static final long G = 4096;
  private static final long SIZE = 64 * G;
  private static final long BASE = 0x1_0000_0000L;

  @TempDir
  static Path dir;

  private interface RangeCall {
    void call(long offset, long length);
  }

  @TestFactory
  Stream<DynamicTest> everyEntryPointRejectsEveryKindOfBadInput() throws Exception {
    BadInputMatrix matrix = new BadInputMatrix("core");
    AttributeManager m = AttributeManager.builder().layout(new RegionLayout(SIZE, G, BASE, 0))
        .store(new ModelStoreProvider()).plugSource(true).build();
    RecordingListener listener = new RecordingListener("l", G, 8 * G, 48 * G);
    m.registerListener(listener, 8 * G, 48 * G);
    m.share(4 * G, 16 * G);
    m.unplug(30 * G, 2 * G);
    Supplier<Object> state = () -> List.of(states(m), listener.view(), m.listenerCount());

    Map<String, RangeCall> conversions = new java.util.LinkedHashMap<>();
    conversions.put("AttributeManager.convert", (o, l) -> m.convert(o, l, true));
    conversions.put("AttributeManager.share", m::share);
    conversions.put("AttributeManager.makePrivate", m::makePrivate);
    conversions.put("AttributeManager.plug", m::plug);
    conversions.put("AttributeManager.unplug", m::unplug);
    conversions.put("AttributeManager.change", (o, l) -> m.change(Source.GUEST_MEMFD, o, l, false));
    conversions.put("AttributeManager.registerListener",
        (o, l) -> m.registerListener(new RecordingListener("new", G, 0, SIZE), o, l));
    for (Map.Entry<String, RangeCall> e : conversions.entrySet()) {
      RangeCall c = e.getValue();
      rangeCells(matrix, e.getKey(), state, c);
      matrix.cell(e.getKey(), MISALIGNED, IllegalArgumentException.class, "offset 0x1800",
          "is not aligned to the granularity 0x1000", state, () -> c.call(0x1800, G));
      matrix.cell(e.getKey(), MISALIGNED, IllegalArgumentException.class, "length 0x1800",
          "is not a multiple of the granularity 0x1000", state, () -> c.call(G, 0x1800));
    }
    matrix.cell("AttributeManager.change", NULL, NullPointerException.class, "source", "must not be null", state,
        () -> m.change(null, 0, G, true));
    matrix.cell("AttributeManager.registerListener", NULL, NullPointerException.class, "listener",
        "must not be null", state, () -> m.registerListener(null, 0, G));
    matrix.cell("AttributeManager.registerListener", BAD_VALUE, IllegalArgumentException.class, "listener l",
        "is already registered", state, () -> m.registerListener(listener, 0, G));
    matrix.cell("AttributeManager.unregisterListener", NULL, NullPointerException.class, "listener",
        "must not be null", state, () -> m.unregisterListener(null));
    matrix.cell("AttributeManager.unregisterListener", BAD_VALUE, IllegalArgumentException.class, "listener other",
        "is not registered", state, () -> m.unregisterListener(new RecordingListener("other", G, 0, G)));
    AttributeManager noPlug = AttributeManager.builder().layout(RegionLayout.of(SIZE, G))
        .store(new ModelStoreProvider()).build();
    matrix.cell("AttributeManager.plug", BAD_VALUE, IllegalStateException.class, "PLUG", "this region has no",
        () -> states(noPlug), () -> noPlug.plug(0, G));

    Map<String, RangeCall> reads = new java.util.LinkedHashMap<>();
    reads.put("AttributeManager.isPopulated", m::isPopulated);
    reads.put("AttributeManager.replayPopulated", (o, l) -> m.replayPopulated(o, l, (a, b) -> 0));
    reads.put("AttributeManager.replayDiscarded", (o, l) -> m.replayDiscarded(o, l, (a, b) -> 0));
    reads.put("AttributeManager.replayStates", (o, l) -> m.replayStates(o, l, (a, b, s) -> 0));
    for (Map.Entry<String, RangeCall> e : reads.entrySet()) {
      rangeCells(matrix, e.getKey(), state, e.getValue());
    }
    matrix.cell("AttributeManager.replayPopulated", NULL, NullPointerException.class, "visitor", "must not be null",
        state, () -> m.replayPopulated(0, G, null));
    matrix.cell("AttributeManager.replayDiscarded", NULL, NullPointerException.class, "visitor", "must not be null",
        state, () -> m.replayDiscarded(0, G, null));
    matrix.cell("AttributeManager.replayStates", NULL, NullPointerException.class, "visitor", "must not be null",
        state, () -> m.replayStates(0, G, null));
    matrix.cell("AttributeManager.stateAt", NEGATIVE, IllegalArgumentException.class, "offset -1", "is negative",
        state, () -> m.stateAt(-1));
    matrix.cell("AttributeManager.stateAt", OUT_OF_RANGE, IllegalArgumentException.class, "0x40000",
        "is outside the region of size 0x40000", state, () -> m.stateAt(SIZE));

    layoutCells(matrix);
    configCells(matrix);
    traceCells(matrix);
    return matrix.tests();
  }

  /** Negative, out of range, overflowing and empty ranges, the same for every range-taking entry point. */
  private static void rangeCells(BadInputMatrix matrix, String entry, Supplier<Object> state, RangeCall c) {
    matrix.cell(entry, NEGATIVE, IllegalArgumentException.class, "offset -4096", "is negative", state,
        () -> c.call(-G, G));
    matrix.cell(entry, NEGATIVE, IllegalArgumentException.class, "length -4096", "must be positive", state,
        () -> c.call(0, -G));
    matrix.cell(entry, OUT_OF_RANGE, IllegalArgumentException.class, "[0x3f000, 0x41000)",
        "is outside the region of size 0x40000", state, () -> c.call(SIZE - G, 2 * G));
    matrix.cell(entry, OUT_OF_RANGE, IllegalArgumentException.class, "[0x40000, 0x41000)",
        "is outside the region of size 0x40000", state, () -> c.call(SIZE, G));
    matrix.cell(entry, OVERFLOW, IllegalArgumentException.class, "offset 0x7ffffffffffff000 + length 0x2000",
        "overflows a signed 64-bit offset", state, () -> c.call(Long.MAX_VALUE - 0xfff, 2 * G));
    matrix.cell(entry, ZERO_LENGTH, IllegalArgumentException.class, "length 0", "must be positive", state,
        () -> c.call(0, 0));
  }

  private static void layoutCells(BadInputMatrix matrix) {
    String ctor = "RegionLayout(size, granularity, iovaBase, hostAddress)";
    for (long g : new long[] {3000, 6144, 2048, 0, -4096}) {
      matrix.cell(ctor, BAD_GRANULARITY, IllegalArgumentException.class, "granularity " + g,
          "must be a power of two and at least 4096", null, () -> new RegionLayout(SIZE, g, 0, 0));
    }
    matrix.cell("RegionLayout.of", BAD_GRANULARITY, IllegalArgumentException.class, "granularity 1024",
        "must be a power of two and at least 4096", null, () -> RegionLayout.of(SIZE, 1024));
    matrix.cell(ctor, NEGATIVE, IllegalArgumentException.class, "region size -4096", "must be positive", null,
        () -> new RegionLayout(-G, G, 0, 0));
    matrix.cell(ctor, ZERO_LENGTH, IllegalArgumentException.class, "region size 0", "must be positive", null,
        () -> new RegionLayout(0, G, 0, 0));
    matrix.cell(ctor, MISALIGNED, IllegalArgumentException.class, "region size 0x1800",
        "is not a multiple of the granularity 0x1000", null, () -> new RegionLayout(0x1800, G, 0, 0));
    matrix.cell(ctor, OVERFLOW, IllegalArgumentException.class, "IOVA base 0xfffffffffffff000 + size 0x2000",
        "overflows the 64-bit IOVA space", null, () -> new RegionLayout(2 * G, G, -G, 0));
    matrix.cell(ctor, OVERFLOW, IllegalArgumentException.class, "host address 0xfffffffffffff000 + size 0x2000",
        "overflows the address space", null, () -> new RegionLayout(2 * G, G, 0, -G));
    matrix.cell("AttributeManagerBuilder.build", NULL, IllegalStateException.class, "layout", "is required", null,
        () -> AttributeManager.builder().store(new ModelStoreProvider()).build());
    matrix.cell("AttributeManagerBuilder.build", NULL, IllegalStateException.class, "state-store provider",
        "is required", null, () -> AttributeManager.builder().layout(RegionLayout.of(SIZE, G)).build());
    matrix.cell("AttributeManagerBuilder.layout", NULL, NullPointerException.class, "layout", "must not be null",
        null, () -> AttributeManager.builder().layout(null));
    matrix.cell("AttributeManagerBuilder.store", NULL, NullPointerException.class, "store provider",
        "must not be null", null, () -> AttributeManager.builder().store(null));
  }

  private static void configCells(BadInputMatrix matrix) throws Exception {
    String build = "GuestmemConfig.Builder.build";
    for (long g : new long[] {3000, 2048, -4096, 0}) {
      matrix.cell(build, BAD_GRANULARITY, IllegalArgumentException.class,
          g < 0 ? "guestmem.granularity '" + g + "'" : "guestmem.granularity " + g,
          g < 0 ? "is negative" : "must be a power of two and at least 4096", null,
          () -> GuestmemConfig.builder().granularity(g).build());
    }
    matrix.cell(build, BAD_VALUE, IllegalArgumentException.class, "guestmem.mapping 'nope'",
        "must be one of granule, coalesce", null, () -> GuestmemConfig.builder().mapping("nope").build());
    matrix.cell(build, BAD_VALUE, IllegalArgumentException.class, "guestmem.dma.kernel 'nope'",
        "must be one of auto, real, embedded", null, () -> GuestmemConfig.builder().dmaKernel("nope").build());
    matrix.cell(build, NULL, IllegalArgumentException.class, "guestmem.mapping 'null'",
        "must be one of granule, coalesce", null, () -> GuestmemConfig.builder().mapping((String) null).build());
    matrix.cell(build, NULL, NullPointerException.class, "guestmem.store", "must not be null", null,
        () -> GuestmemConfig.builder().store(null).build());
    Properties typo = new Properties();
    typo.setProperty("guestmem.stroe", "bitmap");
    matrix.cell("GuestmemConfig.Builder.apply", BAD_VALUE, IllegalArgumentException.class, "'guestmem.stroe'",
        "unknown configuration key", null, () -> GuestmemConfig.builder().apply(typo));
    matrix.cell("GuestmemConfig.Builder.build", BAD_VALUE, IllegalArgumentException.class,
        "guestmem.dma.option.kernel", "is set with guestmem.dma.kernel", null,
        () -> GuestmemConfig.builder().dmaOption("kernel", "real").build());
    Path bad = dir.resolve("bad.properties");
    Files.writeString(bad, "guestmem.granularity=4097\n");
    matrix.cell("GuestmemConfig.load", BAD_GRANULARITY, IllegalArgumentException.class, "guestmem.granularity 4097",
        "must be a power of two and at least 4096", null, () -> GuestmemConfig.load(bad));
    Path badSize = dir.resolve("badsize.properties");
    Files.writeString(badSize, "guestmem.granularity=-4K\n");
    matrix.cell("GuestmemConfig.load", NEGATIVE, IllegalArgumentException.class, "guestmem.granularity '-4K'",
        "is negative", null,
        () -> GuestmemConfig.load(badSize));

    String parse = "Sizes.parse";
    matrix.cell(parse, ZERO_LENGTH, IllegalArgumentException.class, "size ''", "is empty", null,
        () -> Sizes.parse(" "));
    matrix.cell(parse, NEGATIVE, IllegalArgumentException.class, "size '-5'", "is negative", null,
        () -> Sizes.parse("-5"));
    matrix.cell(parse, BAD_VALUE, IllegalArgumentException.class, "size '12Q'",
        "is not a number with an optional K/M/G/T/P suffix", null, () -> Sizes.parse("12Q"));
    matrix.cell(parse, BAD_VALUE, IllegalArgumentException.class, "size '0x'",
        "is not a number with an optional K/M/G/T/P suffix", null, () -> Sizes.parse("0x"));
    matrix.cell(parse, OVERFLOW, IllegalArgumentException.class, "size '9223372036854775807K'",
        "does not fit in 63 bits", null, () -> Sizes.parse("9223372036854775807K"));
    matrix.cell(parse, OVERFLOW, IllegalArgumentException.class, "size '0xffffffffffffffff'",
        "does not fit in 63 bits", null, () -> Sizes.parse("0xffffffffffffffff"));
    matrix.cell(parse, OVERFLOW, IllegalArgumentException.class, "size '99999999999999999999'",
        "is not a number", null, () -> Sizes.parse("99999999999999999999"));
    matrix.cell(parse, NULL, NullPointerException.class, "size text", "must not be null", null,
        () -> Sizes.parse(null));

    matrix.cell("Providers.stateStore", UNKNOWN_PROVIDER, IllegalArgumentException.class, "'nope'",
        "unknown state store", null, () -> Providers.stateStore("nope"));
    matrix.cell("Providers.stateStore", NULL, IllegalArgumentException.class, "no state store named",
        "found:", null, () -> Providers.stateStore(null));
    matrix.cell("Providers.dmaBackend", UNKNOWN_PROVIDER, IllegalArgumentException.class, "'nope'",
        "unknown DMA back-end", null, () -> Providers.dmaBackend("nope"));
    matrix.cell("Providers.dmaBackend", NULL, IllegalArgumentException.class, "no DMA back-end named", "found:",
        null, () -> Providers.dmaBackend(" "));
    matrix.cell("GuestmemConfig.storeProvider", UNKNOWN_PROVIDER, IllegalArgumentException.class, "'nope'",
        "unknown state store", null, () -> GuestmemConfig.builder().store("nope").build().storeProvider());
  }

  private static void traceCells(BadInputMatrix matrix) {
    String entry = "TraceReader.next";
    String[][] malformed = {
      {"ram_block_attributes_state_change offset 0x0 size 0x1000", "fuzz.trace:3", "malformed line"},
      {"ram_block_attributes_state_change offset 0xZZ size 0x1000 from 'private' to 'shared'", "'0xZZ'",
        "is not a 64-bit hexadecimal number"},
      {"ram_block_attributes_state_change offset 10 size 0x1000 from 'private' to 'shared'", "'10'",
        "is not a 0x-prefixed hexadecimal number"},
      {"ram_block_attributes_state_change offset 0x0 size 0x1000 from 'private' to 'sideways'", "'sideways'",
        "is not populated, discarded, shared or private"},
      {"ram_block_attributes_state_change offset 0x0 size 0x1000 from private to 'shared'", "from private",
        "is not a quoted state"},
      {"kvm_convert_memory start 0x100000000 size 0x1000 sideways", "'sideways'",
        "is not shared_to_private or private_to_shared"},
      {"kvm_convert_memory start 0x100000000", "fuzz.trace:3", "malformed line"},
      {"virtio_mem_plug_request addr=0x100000000 nb_blocks=x", "'x'", "is not a decimal number"},
      {"virtio_mem_unplug_request addr=0x100000000 nb_blocks=-1", "nb_blocks -1", "must be positive"},
      {"1234@1.5: virtio_mem_plug_request addr=0x100000000", "fuzz.trace:3", "malformed line"},
      {"vfio_region_write 0x0", "fuzz.trace:3", "not a conversion event (strict mode"},
    };
    for (String[] c : malformed) {
      traceCell(matrix, entry, MALFORMED_TRACE_LINE, c[0], c[1], c[2]);
    }
    String[][] outside = {
      {"ram_block_attributes_state_change offset 0x3f000 size 0x2000 from 'private' to 'shared'",
        "offset 0x3f000 size 0x2000", "is outside the region"},
      {"kvm_convert_memory start 0xfffff000 size 0x1000 private_to_shared", "start 0xfffff000",
        "is outside the region [0x100000000, 0x100040000) (below the base address)"},
      {"kvm_convert_memory start 0x100040000 size 0x1000 private_to_shared", "start 0x100040000 size 0x1000",
        "is outside the region [0x100000000, 0x100040000)"},
      {"virtio_mem_plug_request addr=0x10003f000 nb_blocks=2", "addr 0x10003f000 size 0x2000", "is outside the region"},
    };
    for (String[] c : outside) {
      traceCell(matrix, entry, TRACE_ADDRESS_OUTSIDE, c[0], c[1], c[2]);
    }
    traceCell(matrix, entry, OVERFLOW,
        "kvm_convert_memory start 0x100001000 size 0xfffffffffffff000 private_to_shared",
        "size 0xfffffffffffff000", "is outside the region");
    traceCell(matrix, entry, ZERO_LENGTH, "kvm_convert_memory start 0x100001000 size 0x0 private_to_shared",
        "size 0x0", "must be positive");
    traceCell(matrix, entry, ZERO_LENGTH,
        "ram_block_attributes_state_change offset 0x1000 size 0x0 from 'private' to 'shared'", "size 0x0",
        "must be positive");

    TraceReader.Options opts = TraceReader.Options.of(SIZE);
    matrix.cell("TraceReader(Reader, String, Options)", MALFORMED_TRACE_LINE, TraceFormatException.class,
        "fuzz.trace:1", "header base='zz' is not an address", null,
        () -> new TraceReader(new StringReader("# guestmem-trace size=0x40000 base=zz\n"), "fuzz.trace", opts));
    matrix.cell("TraceReader(Reader, String, Options)", NULL, NullPointerException.class, "reader",
        "must not be null", null, () -> new TraceReader(null, "x", opts));
    matrix.cell("TraceReader(Reader, String, Options)", NULL, NullPointerException.class, "options",
        "must not be null", null, () -> new TraceReader(new StringReader(""), "x", null));
    matrix.cell("TraceReader.Options", ZERO_LENGTH, IllegalArgumentException.class, "region size 0",
        "must be positive", null, () -> TraceReader.Options.of(0));
    matrix.cell("TraceReader.Options", NEGATIVE, IllegalArgumentException.class, "virtio-mem block size -1",
        "must be positive", null, () -> opts.withPlugBlockSize(-1));
    matrix.cell("TraceReader.Options", NULL, NullPointerException.class, "base", "must not be null", null,
        () -> new TraceReader.Options(SIZE, null, G, false));
  }

  /**
   * A trace of a header, a good line and {@code bad}: reading the good line happens now; the cell reads the bad one,
   * and what the reader delivered (its count and last operation) must not change.
   */
  private static void traceCell(BadInputMatrix matrix, String entry, BadInputMatrix.Category category, String bad,
      String value, String rule) {
    String text = "# guestmem-trace size=0x40000 granularity=0x1000 base=0x100000000\n"
        + "kvm_convert_memory start 0x100002000 size 0x2000 private_to_shared\n" + bad + "\n";
    TraceReader reader = new TraceReader(new StringReader(text), "fuzz.trace",
        new TraceReader.Options(SIZE, OptionalLong.empty(), G, true));
    if (!reader.next()) {
      throw new AssertionError("the good line was not read");
    }
    matrix.cell(entry, category, TraceFormatException.class, value, rule,
        () -> List.of(reader.count(), reader.kind(), reader.offset(), reader.length()), reader::next);
  }

  private static List<String> states(AttributeManager m) {
    List<String> runs = new ArrayList<>();
    m.replayStates(0, m.layout().size(), (off, len, st) -> {
      runs.add(Long.toHexString(off) + "+" + Long.toHexString(len) + "=" + st);
      return 0;
    });
    return runs;
  }
}
