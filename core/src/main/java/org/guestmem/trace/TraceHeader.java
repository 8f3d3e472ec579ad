package org.guestmem.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.guestmem.spi.Sizes;

/**
 * The optional first line guestmem's {@link TraceWriter} puts in a trace, a comment QEMU's own logs never have:
 * {@code # guestmem-trace size=0x... granularity=0x... base=0x... plug=none|plugged|unplugged ...}. It lets a
 * replay rebuild the region the trace was made for without being told. Unknown keys are kept.
 *
 * @param values the {@code key=value} pairs in order
 */
public record TraceHeader(Map<String, String> values) {
  /** The word that marks the header line. */
  public static final String MAGIC = "# guestmem-trace";

  /**
   * Copies the pairs.
   *
   * @param values the {@code key=value} pairs
   */
  public TraceHeader {
    values = Map.copyOf(values);
  }

  /**
   * Parses {@code line} if it is a header line.
   *
   * @param line a trace line, or null
   * @return the header, or empty if the line is not one
   */
  public static Optional<TraceHeader> parse(String line) {
    if (line == null || !line.startsWith(MAGIC + " ")) {
      return Optional.empty();
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String token : line.substring(MAGIC.length()).trim().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq > 0) {
        m.put(token.substring(0, eq), token.substring(eq + 1));
      }
    }
    return Optional.of(new TraceHeader(m));
  }

  /**
   * Reads the header of the trace at {@code file}, if its first line is one.
   *
   * @param file the trace
   * @return the header, or empty if the first line is not one
   * @throws TraceFormatException if the first line is not UTF-8 text (a binary file)
   * @throws IOException if the file cannot be read
   */
  public static Optional<TraceHeader> read(Path file) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(in.readLine());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new TraceFormatException(file.getFileName().toString(), 1, "(bytes that are not UTF-8)",
          "not text: a binary file, not a trace-event log");
    }
  }

  /**
   * {@return a size-valued key ({@code 0x...} or a size with a K/M/G/T suffix), if present}
   *
   * @param key the key
   * @throws IllegalArgumentException if the value is not a size
   */
  public Optional<Long> size(String key) {
    String v = values.get(key);
    return v == null ? Optional.empty() : Optional.of(Sizes.parse(v));
  }

  /**
   * {@return a key's text, if present}
   *
   * @param key the key
   */
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }
}
