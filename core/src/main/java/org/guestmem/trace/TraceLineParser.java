package org.guestmem.trace;

import static org.guestmem.trace.TraceReader.KVM_CONVERT;
import static org.guestmem.trace.TraceReader.PLUG_REQUEST;
import static org.guestmem.trace.TraceReader.STATE_CHANGE;
import static org.guestmem.trace.TraceReader.UNPLUG_REQUEST;

import org.guestmem.workload.OpKind;

/**
 * One line of a QEMU trace-event log read as a region operation, for {@link TraceReader}: the log prefix, the
 * recognised events and their arguments, guest-physical addresses translated to region offsets, and a state change
 * that repeats the {@code kvm_convert_memory} just before it recognised as its pair. A bad line fails with a
 * {@link TraceFormatException} naming it; a line that is no event is skipped and counted (or fails, strict).
 */
final class TraceLineParser {
  private final String source;
  private final TraceReader.Options options;
  private final long base;

  /** The number of the line being parsed, for messages. */
  private long lineNumber;
  private long skippedLines;
  private long pairedEvents;
  private String firstSkipped;

  private OpKind kind;
  private long offset;
  private long length;
  private OpKind pendingKind; // the last kvm_convert_memory, which a state change right after it repeats
  private long pendingOffset = -1;
  private long pendingLength;

  TraceLineParser(String source, TraceReader.Options options, long base) {
    this.source = source;
    this.options = options;
    this.base = base;
  }

  /** Parses line {@code number}; true if it is an operation to replay, then {@link #kind()} etc. describe it. */
  boolean parse(String raw, long number) {
    this.lineNumber = number;
    return parse(raw);
  }

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

  OpKind kind() {
    return kind;
  }

  long offset() {
    return offset;
  }

  long length() {
    return length;
  }

  long skippedLines() {
    return skippedLines;
  }

  String firstSkipped() {
    return firstSkipped;
  }

  long pairedEvents() {
    return pairedEvents;
  }
}
