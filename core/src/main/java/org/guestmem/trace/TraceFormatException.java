package org.guestmem.trace;

/**
 * A trace line that cannot be replayed: malformed, outside the region, or (in strict mode) not a conversion event.
 * The message names the source, the line number, the rule and the line's text.
 */
public final class TraceFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  /** The 1-based number of the offending line. */
  private final long lineNumber;
  /** The offending line's text. */
  private final String line;

  TraceFormatException(String source, long lineNumber, String line, String rule) {
    super(String.format("%s:%d: %s: '%s'", source, lineNumber, rule, abbreviate(line)));
    this.lineNumber = lineNumber;
    this.line = line;
  }

  /** {@return the 1-based number of the offending line} */
  public long lineNumber() {
    return lineNumber;
  }

  /** {@return the offending line's text} */
  public String line() {
    return line;
  }

  private static String abbreviate(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
