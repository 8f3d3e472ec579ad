package org.guestmem.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the reliability suites leave their counts (operations, faults injected, matrix cells, ...): one line per
 * suite on stdout, prefixed {@code [reliability]}, and the same line appended to
 * {@code target/reliability/<kind>.txt} of the module under test, which {@code .ci/run} sums and prints.
 */
public final class ReliabilityReport {
  /** Kinds written by this JVM: the first line of a kind replaces what an earlier build left in the file. */
  private static final Set<String> WRITTEN = new HashSet<>();

  private ReliabilityReport() {}

  /** Directory the lines go to: the module's {@code target/reliability} (Surefire runs in the module directory). */
  public static Path directory() {
    return Path.of("target", "reliability");
  }

  /**
   * Prints and records one line {@code <kind> <label> key=value ...}.
   *
   * @param kind the suite, e.g. {@code fault-sweep}; also the file name
   * @param label what was run, without spaces
   * @param counts the counts, in the order to print them
   */
  public static synchronized void record(String kind, String label, Map<String, Long> counts) {
    String line = kind + " " + label.replace(' ', '_') + " " + counts.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    System.out.println("[reliability] " + line);
    try {
      Files.createDirectories(directory());
      boolean first = WRITTEN.add(kind);
      Files.writeString(directory().resolve(kind + ".txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          first ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An ordered map of counts, for {@link #record}. */
  public static Map<String, Long> counts(Object... keyValues) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], ((Number) keyValues[i + 1]).longValue());
    }
    return m;
  }
}
