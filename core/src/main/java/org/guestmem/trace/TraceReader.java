package org.guestmem.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.guestmem.region.RamLayout;
import org.guestmem.workload.OpKind;
import org.guestmem.workload.OpStream;

/**
 * Reads a QEMU trace-event log as a stream of region operations.
 *
 * <p>Recognised events (each with or without the log back-end's {@code pid@sec.usec:} prefix):
 * <ul>
 *   <li>{@code ram_block_attributes_state_change offset 0x… size 0x… from '…' to '…'}: offsets within the region;
 *       {@code to} is {@code populated} (or {@code shared}) or {@code discarded} (or {@code private}), {@code from}
 *       one of those or {@code mixture}.
 *   <li>{@code kvm_convert_memory start 0x… size 0x… shared_to_private|private_to_shared}: guest-physical, so the
 *       region's base address is subtracted. QEMU traces both events for one conversion; a state change that
 *       repeats the conversion event just before it is counted as {@link #pairedEvents() paired}, not replayed
 *       twice.
 *   <li>{@code virtio_mem_plug_request addr=0x… nb_blocks=N} and {@code virtio_mem_unplug_request …}:
 *       guest-physical, in blocks of the device's block size ({@link Options#plugBlockSize()}).
 * </ul>
 * Blank lines and lines starting with {@code #} are comments. Any other line is skipped and counted, or, in strict
 * mode, fails. A recognised event with bad arguments always fails; so does a range outside the region. Failures are
 * {@link TraceFormatException}s naming the line number and text.
 *
 * <p>Not thread-safe; reads lazily, so a trace of any length streams in constant memory.
 */
public final class TraceReader implements OpStream {
  static final String STATE_CHANGE = "ram_block_attributes_state_change";
  static final String KVM_CONVERT = "kvm_convert_memory";
  static final String PLUG_REQUEST = "virtio_mem_plug_request";
  static final String UNPLUG_REQUEST = "virtio_mem_unplug_request";

  /**
   * How to read a trace.
   *
   * @param regionSize the region's size; every range must lie inside it
   * @param base the guest-physical address of offset 0; empty to take it from the {@link TraceHeader}, else 0
   * @param plugBlockSize the virtio-mem block size that {@code nb_blocks} counts in
   * @param strict whether a line that is neither a comment nor a recognised event fails
   * @param ram where the guest's RAM lies, for a guest with several RAM ranges (below and above the PCI hole): then
   *     guest-physical events are translated to RAM offsets by it (see {@link RamLayout}), {@code base} is not used
   *     and {@code regionSize} is the RAM's total; null for one range at {@code base}
   */
  public record Options(long regionSize, OptionalLong base, long plugBlockSize, boolean strict, RamLayout ram) {
    /** The virtio-mem block size QEMU picks for x86-64 with transparent huge pages. */
    public static final long DEFAULT_PLUG_BLOCK_SIZE = 2L << 20;

    /**
     * Checks the components.
     *
     * @param regionSize the region's size; every range must lie inside it
     * @param base the guest-physical address of offset 0; empty to take it from the {@link TraceHeader}, else 0
     * @param plugBlockSize the virtio-mem block size that {@code nb_blocks} counts in
     * @param strict whether a line that is neither a comment nor a recognised event fails
     * @param ram the guest's RAM ranges, or null for one range at {@code base}
     * @throws IllegalArgumentException if {@code regionSize} or {@code plugBlockSize} is not positive, or differs
     *     from the total of {@code ram}
     * @throws NullPointerException if {@code base} is null
     */
    public Options {
      Objects.requireNonNull(base, "base must not be null");
      if (regionSize <= 0) {
        throw new IllegalArgumentException("region size " + regionSize + " must be positive");
      }
      if (plugBlockSize <= 0) {
        throw new IllegalArgumentException("virtio-mem block size " + plugBlockSize + " must be positive");
      }
      if (ram != null && ram.size() != regionSize) {
        throw new IllegalArgumentException(String.format("region size 0x%x differs from the RAM layout's total 0x%x",
            regionSize, ram.size()));
      }
    }

    /**
     * Options without a RAM layout.
     *
     * @param regionSize the region's size; every range must lie inside it
     * @param base the guest-physical address of offset 0; empty to take it from the {@link TraceHeader}, else 0
     * @param plugBlockSize the virtio-mem block size that {@code nb_blocks} counts in
     * @param strict whether a line that is neither a comment nor a recognised event fails
     */
    public Options(long regionSize, OptionalLong base, long plugBlockSize, boolean strict) {
      this(regionSize, base, plugBlockSize, strict, null);
    }

    /**
     * Lenient reading of a region of {@code regionSize} bytes, base from the header (else 0).
     *
     * @param regionSize the region's size in bytes, positive
     * @return the options
     */
    public static Options of(long regionSize) {
      return new Options(regionSize, OptionalLong.empty(), DEFAULT_PLUG_BLOCK_SIZE, false);
    }

    /**
     * {@return these options with the guest-physical address of offset 0 given, not taken from the header}
     *
     * @param base the guest-physical address of region offset 0
     */
    public Options withBase(long base) {
      return new Options(regionSize, OptionalLong.of(base), plugBlockSize, strict, ram);
    }

    /**
     * {@return these options, strict or lenient}
     *
     * @param strict whether a line that is neither a comment nor a recognised event fails
     */
    public Options withStrict(boolean strict) {
      return new Options(regionSize, base, plugBlockSize, strict, ram);
    }

    /**
     * {@return these options with another virtio-mem block size}
     *
     * @param bytes the block size {@code nb_blocks} counts in, positive
     */
    public Options withPlugBlockSize(long bytes) {
      return new Options(regionSize, base, bytes, strict, ram);
    }

    /**
     * Reads guest-physical events through {@code ram}; the region size becomes its total.
     *
     * @param ram the guest's RAM ranges
     * @return these options with {@code ram}
     */
    public Options withRam(RamLayout ram) {
      return new Options(java.util.Objects.requireNonNull(ram, "ram").size(), base, plugBlockSize, strict, ram);
    }
  }

  private final BufferedReader in;
  private final String source;
  private final Options options;
  private final long base;
  private final TraceHeader header;
  /** What each line means; this class reads the lines, counts them and serves the operations. */
  private final TraceLineParser parser;
  private String pushedBack;

  private long lineNumber;
  /** The text of the line the current operation came from, for messages about it. */
  private String opLine = "";
  private long count;

  /**
   * Reads {@code in}; {@code source} names it in messages (a file name). Reads the first line to look for a
   * {@link TraceHeader}.
   *
   * @param in the trace text
   * @param source the trace's name in messages
   * @param options how to read it
   * @throws TraceFormatException if the header's {@code base} is not an address (line 1)
   */
  public TraceReader(Reader in, String source, Options options) {
    Objects.requireNonNull(in, "reader must not be null");
    this.in = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
    this.source = Objects.requireNonNull(source, "source must not be null");
    this.options = Objects.requireNonNull(options, "options must not be null");
    String first = readLine();
    Optional<TraceHeader> h = TraceHeader.parse(first);
    this.header = h.orElse(null);
    if (h.isEmpty()) {
      pushedBack = first;
      lineNumber = 0;
    }
    this.base = options.base().isPresent() ? options.base().getAsLong() : headerBase(first);
    this.parser = new TraceLineParser(this.source, options, base);
  }

  /** The header's {@code base}, or 0; a base that is not a size is a bad first line, not a crash. */
  private long headerBase(String first) {
    try {
      return header == null ? 0L : header.size("base").orElse(0L);
    } catch (IllegalArgumentException e) {
      throw fail(first, "header base='" + header.get("base").orElse("") + "' is not an address (" + e.getMessage()
          + ")");
    }
  }

  /**
   * Opens the trace at {@code file}.
   *
   * @param file the trace
   * @param options how to read it
   * @return a reader, which the caller closes
   * @throws IOException if the file cannot be opened
   */
  public static TraceReader open(Path file, Options options) throws IOException {
    return new TraceReader(Files.newBufferedReader(file, StandardCharsets.UTF_8), file.getFileName().toString(),
        options);
  }

  /** {@return the guestmem header line, if the trace has one} */
  public Optional<TraceHeader> header() {
    return Optional.ofNullable(header);
  }

  /** {@return the guest-physical address of region offset 0 used for guest-physical events} */
  public long base() {
    return base;
  }

  @Override
  public boolean next() {
    while (true) {
      String line;
      if (pushedBack != null) {
        line = pushedBack;
        pushedBack = null;
        lineNumber = 1;
      } else {
        line = readLine();
      }
      if (line == null) {
        return false;
      }
      if (parser.parse(line, lineNumber)) {
        opLine = line.strip();
        count++;
        return true;
      }
    }
  }

  private String readLine() {
    try {
      String line = in.readLine();
      if (line != null) {
        lineNumber++;
      }
      return line;
    } catch (java.nio.charset.CharacterCodingException e) {
      // A decoder's "Input length = 1" says nothing to a user who gave a binary file by mistake.
      throw new TraceFormatException(source, lineNumber + 1, "(bytes that are not UTF-8)",
          "not text: a binary file, not a trace-event log");
    } catch (IOException e) {
      throw new UncheckedIOException(source + ":" + (lineNumber + 1) + ": " + e.getMessage(), e);
    }
  }

  private TraceFormatException fail(String raw, String rule) {
    return new TraceFormatException(source, lineNumber, raw, rule);
  }

  @Override
  public OpKind kind() {
    return parser.kind();
  }

  @Override
  public long offset() {
    return parser.offset();
  }

  @Override
  public long length() {
    return parser.length();
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public String position() {
    return source + ":" + lineNumber + " '" + opLine + "'";
  }

  /** {@return lines read so far, comments and skipped lines included} */
  public long lines() {
    return lineNumber;
  }

  /** {@return lines skipped as not being conversion events (lenient mode)} */
  public long skippedLines() {
    return parser.skippedLines();
  }

  /** {@return where the first skipped line was ({@code file:line}), or null if none was skipped} */
  public String firstSkipped() {
    return parser.firstSkipped();
  }

  /**
   * {@return state-change events that repeated the {@code kvm_convert_memory} just before them and were not
   * replayed}
   */
  public long pairedEvents() {
    return parser.pairedEvents();
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
