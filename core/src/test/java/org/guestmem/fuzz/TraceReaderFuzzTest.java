package org.guestmem.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.StringReader;
import java.util.OptionalLong;
import org.guestmem.trace.TraceFormatException;
import org.guestmem.trace.TraceReader;

/**
 * Coverage-guided fuzzing of the QEMU trace parser. A trace is built from fuzzer-chosen lines: each recognised event
 * with fuzzed arguments (addresses near the region's edges, overflowing sizes, bad words), a guestmem header with
 * fuzzed values, the log prefix or not, and raw text. A crash is any exception other than the documented
 * {@link TraceFormatException} (whose message must name the source and the line), or an accepted operation whose
 * range is empty, overflows or leaves the region.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the inputs kept under
 * {@code src/test/resources/org/guestmem/fuzz/TraceReaderFuzzTestInputs}; with {@code JAZZER_FUZZ=1} it fuzzes for
 * {@code maxDuration} (or {@code JAZZER_MAX_DURATION}).
 */
class TraceReaderFuzzTest {
  private static final String[] STATES = {"populated", "discarded", "shared", "private", "mixture", "", "bogus"};
  private static final String[] DIRECTIONS = {"private_to_shared", "shared_to_private", "sideways", ""};

  @FuzzTest(maxDuration = "60s")
  void parserAcceptsOnlyRangesInsideTheRegion(FuzzedDataProvider data) {
    long regionSize = data.consumeBoolean() ? data.consumeLong(1, Long.MAX_VALUE)
        : data.consumeLong(1, 64) * 4096;
    TraceReader.Options options = new TraceReader.Options(regionSize,
        data.consumeBoolean() ? OptionalLong.of(pickAddress(data, 0, regionSize)) : OptionalLong.empty(),
        data.consumeBoolean() ? TraceReader.Options.DEFAULT_PLUG_BLOCK_SIZE : data.consumeLong(1, Long.MAX_VALUE),
        data.consumeBoolean());
    StringBuilder text = new StringBuilder();
    int lines = data.consumeInt(0, 12);
    if (data.consumeBoolean()) {
      text.append("# guestmem-trace size=").append(data.consumeAsciiString(12)).append(" base=")
          .append(data.consumeBoolean() ? data.consumeAsciiString(20) : "0x" + Long.toHexString(data.consumeLong()))
          .append('\n');
      lines++;
    }
    long base = options.base().orElse(0);
    for (int i = 0; i < lines; i++) {
      if (data.consumeBoolean()) {
        text.append(data.consumeInt(0, 99999)).append('@').append(data.consumeInt(0, 9999)).append('.')
            .append(data.consumeInt(0, 999999)).append(':').append(data.consumeBoolean() ? " " : "");
      }
      switch (data.consumeInt(0, 4)) {
        case 0 -> text.append(String.format("ram_block_attributes_state_change offset 0x%x size 0x%x from '%s' to "
            + "'%s'", pickAddress(data, 0, regionSize), pickSize(data, regionSize), pick(data, STATES),
            pick(data, STATES)));
        case 1 -> text.append(String.format("kvm_convert_memory start 0x%x size 0x%x %s",
            pickAddress(data, base, regionSize), pickSize(data, regionSize), pick(data, DIRECTIONS)));
        case 2 -> text.append(String.format("virtio_mem_%s_request addr=0x%x nb_blocks=%s",
            data.consumeBoolean() ? "plug" : "unplug", pickAddress(data, base, regionSize),
            data.consumeBoolean() ? Long.toString(data.consumeLong(-2, 64)) : data.consumeAsciiString(6)));
        case 3 -> text.append(data.consumeBoolean() ? "# a comment" : "");
        default -> text.append(data.consumeAsciiString(80));
      }
      text.append(data.consumeBoolean() ? "\n" : "\r\n");
    }
    TraceReader reader;
    try {
      reader = new TraceReader(new StringReader(text.toString()), "fuzz.trace", options);
    } catch (TraceFormatException e) {
      checkMessage(e);
      return;
    }
    try {
      while (reader.next()) {
        long off = reader.offset();
        long len = reader.length();
        assertNotNull(reader.kind(), "an operation without a kind");
        assertTrue(off >= 0 && len > 0 && off + len > 0 && off + len <= regionSize, String.format(
            "accepted [0x%x, +0x%x) outside the region of 0x%x at %s from:%n%s", off, len, regionSize,
            reader.position(), text));
      }
    } catch (TraceFormatException e) {
      checkMessage(e);
    }
  }

  private static void checkMessage(TraceFormatException e) {
    assertTrue(e.getMessage().startsWith("fuzz.trace:" + e.lineNumber() + ": "),
        "the message does not name the source and line: " + e.getMessage());
    assertTrue(e.lineNumber() >= 1, "line number " + e.lineNumber());
  }

  private static String pick(FuzzedDataProvider data, String[] words) {
    return words[data.consumeInt(0, words.length - 1)];
  }

  /** An address near the region's ends (relative to {@code base}), or anything at all. */
  private static long pickAddress(FuzzedDataProvider data, long base, long regionSize) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> data.consumeLong();
      case 1 -> base + regionSize - data.consumeLong(-4096, 4096);
      case 2 -> base - data.consumeLong(0, 4096);
      default -> base + data.consumeLong(0, 64) * 4096;
    };
  }

  private static long pickSize(FuzzedDataProvider data, long regionSize) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> data.consumeLong();
      case 1 -> regionSize + data.consumeLong(-4096, 4096);
      default -> data.consumeLong(0, 16) * 4096;
    };
  }
}
