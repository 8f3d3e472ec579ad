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
  private String pushedBack;

  private long lineNumber;
  /** The text of the line the current operation came from, for messages about it. */
  private String opLine = "";
  private long count;
  private long skippedLines;
  private long pairedEvents;
  private String firstSkipped;

  private OpKind kind;
  private long offset;
  private long length;
  private OpKind pendingKind; // the last kvm_convert_memory, which a state change right after it repeats
  private long pendingOffset = -1;
  private long pendingLength;

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
      if (parse(line)) {
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

  /** Parses one line; true if it is an operation to replay. */
  private boolean parse(String raw) {
    String line = raw.strip();
    if (line.isEmpty() || line.startsWith("#")) {
      return false;
    }
    String body = stripPrefix(line);
    int space = body.indexOf(' ');
    String event = space < 0 ? body : body.substring(0, space);
    String[] args = space < 0 ? new String[0] : body.substring(space + 1).trim().split("\\s+");
    switch (event) {
      case STATE_CHANGE -> {
        return stateChange(raw, args);
      }
      case KVM_CONVERT -> {
        return kvmConvert(raw, args);
      }
      case PLUG_REQUEST, UNPLUG_REQUEST -> {
        return plugRequest(raw, args, event.equals(PLUG_REQUEST));
      }
      default -> {
        if (options.strict()) {
          throw fail(raw, "not a conversion event (strict mode accepts only " + STATE_CHANGE + ", " + KVM_CONVERT
              + ", " + PLUG_REQUEST + " and " + UNPLUG_REQUEST + " lines and # comments)");
        }
        if (firstSkipped == null) {
          firstSkipped = source + ":" + lineNumber;
        }
        skippedLines++;
        return false;
      }
    }
  }

  /** Drops QEMU's log prefix {@code pid@seconds.micros:} if present. */
  private static String stripPrefix(String line) {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      return line;
    }
    int at = line.indexOf('@');
    if (at <= 0 || at > colon || !digits(line, 0, at)) {
      return line;
    }
    int dot = line.indexOf('.', at);
    if (dot < 0 || dot > colon || !digits(line, at + 1, dot) || !digits(line, dot + 1, colon)) {
      return line;
    }
    return line.substring(colon + 1).stripLeading();
  }

  private static boolean digits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private boolean stateChange(String raw, String[] a) {
    String usage = STATE_CHANGE + " takes: offset 0x<hex> size 0x<hex> from '<state>' to '<state>'";
    if (a.length != 8 || !a[0].equals("offset") || !a[2].equals("size") || !a[4].equals("from")
        || !a[6].equals("to")) {
      throw fail(raw, "malformed line; " + usage);
    }
    long off = hex(raw, "offset", a[1]);
    long len = hex(raw, "size", a[3]);
    String from = quoted(raw, "from", a[5]);
    String to = quoted(raw, "to", a[7]);
    if (!from.equals("mixture") && stateWord(from) == null) {
      throw fail(raw, "from '" + from + "' is not populated, discarded, mixture, shared or private");
    }
    OpKind k = stateWord(to);
    if (k == null) {
      throw fail(raw, "to '" + to + "' is not populated, discarded, shared or private");
    }
    checkInside(raw, "offset", off, off, len);
    boolean paired = pendingOffset == off && pendingLength == len && pendingKind == k;
    pendingOffset = -1;
    if (paired) {
      pairedEvents++;
      return false;
    }
    return set(k, off, len);
  }

  private static OpKind stateWord(String word) {
    return switch (word) {
      case "populated", "shared" -> OpKind.SHARE;
      case "discarded", "private" -> OpKind.PRIVATE;
      default -> null;
    };
  }

  private boolean kvmConvert(String raw, String[] a) {
    if (a.length != 5 || !a[0].equals("start") || !a[2].equals("size")) {
      throw fail(raw, "malformed line; " + KVM_CONVERT
          + " takes: start 0x<hex> size 0x<hex> shared_to_private|private_to_shared");
    }
    long gpa = hex(raw, "start", a[1]);
    long len = hex(raw, "size", a[3]);
    OpKind k = switch (a[4]) {
      case "private_to_shared" -> OpKind.SHARE;
      case "shared_to_private" -> OpKind.PRIVATE;
      default -> throw fail(raw, "direction '" + a[4] + "' is not shared_to_private or private_to_shared");
    };
    long off = guestPhysical(raw, "start", gpa, len);
    set(k, off, len);
    pendingKind = k;
    pendingOffset = off;
    pendingLength = len;
    return true;
  }

  private boolean plugRequest(String raw, String[] a, boolean plug) {
    String event = plug ? PLUG_REQUEST : UNPLUG_REQUEST;
    if (a.length != 2 || !a[0].startsWith("addr=") || !a[1].startsWith("nb_blocks=")) {
      throw fail(raw, "malformed line; " + event + " takes: addr=0x<hex> nb_blocks=<decimal>");
    }
    long gpa = hex(raw, "addr", a[0].substring(5));
    long blocks;
    try {
      blocks = Long.parseLong(a[1].substring(10));
    } catch (NumberFormatException e) {
      throw fail(raw, "nb_blocks '" + a[1].substring(10) + "' is not a decimal number");
    }
    if (blocks <= 0 || blocks > Long.MAX_VALUE / options.plugBlockSize()) {
      throw fail(raw, "nb_blocks " + blocks + " must be positive and fit the region");
    }
    long off = guestPhysical(raw, "addr", gpa, blocks * options.plugBlockSize());
    pendingOffset = -1;
    return set(plug ? OpKind.PLUG : OpKind.UNPLUG, off, blocks * options.plugBlockSize());
  }

  private long guestPhysical(String raw, String what, long gpa, long len) {
    if (options.ram() != null) {
      if (len == 0) {
        throw fail(raw, "size 0x0 must be positive");
      }
      try {
        return options.ram().ramOffsetOf(gpa, len);
      } catch (IllegalArgumentException e) {
        throw fail(raw, String.format("%s 0x%x size 0x%x: %s", what, gpa, len, e.getMessage()));
      }
    }
    if (Long.compareUnsigned(gpa, base) < 0) {
      throw fail(raw, String.format("%s 0x%x is outside the region [0x%x, 0x%x) (below the base address)", what,
          gpa, base, base + options.regionSize()));
    }
    long off = gpa - base;
    checkInside(raw, what, gpa, off, len);
    return off;
  }

  private void checkInside(String raw, String what, long address, long off, long len) {
    if (len == 0) {
      throw fail(raw, "size 0x0 must be positive");
    }
    if (off < 0 || len < 0 || off + len < 0 || off + len > options.regionSize()) {
      throw fail(raw, String.format("%s 0x%x size 0x%x is outside the region [0x%x, 0x%x)", what, address, len,
          base, base + options.regionSize()));
    }
  }

  private long hex(String raw, String what, String text) {
    if (!text.startsWith("0x") && !text.startsWith("0X")) {
      throw fail(raw, what + " '" + text + "' is not a 0x-prefixed hexadecimal number");
    }
    try {
      return Long.parseUnsignedLong(text.substring(2), 16);
    } catch (NumberFormatException e) {
      throw fail(raw, what + " '" + text + "' is not a 64-bit hexadecimal number");
    }
  }

  private String quoted(String raw, String what, String text) {
    if (text.length() < 2 || text.charAt(0) != '\'' || text.charAt(text.length() - 1) != '\'') {
      throw fail(raw, what + " " + text + " is not a quoted state");
    }
    return text.substring(1, text.length() - 1);
  }

  private boolean set(OpKind k, long off, long len) {
    this.kind = k;
    this.offset = off;
    this.length = len;
    return true;
  }

  private TraceFormatException fail(String raw, String rule) {
    return new TraceFormatException(source, lineNumber, raw, rule);
  }

  @Override
  public OpKind kind() {
    return kind;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public long length() {
    return length;
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
    return skippedLines;
  }

  /** {@return where the first skipped line was ({@code file:line}), or null if none was skipped} */
  public String firstSkipped() {
    return firstSkipped;
  }

  /**
   * {@return state-change events that repeated the {@code kvm_convert_memory} just before them and were not
   * replayed}
   */
  public long pairedEvents() {
    return pairedEvents;
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
