package org.guestmem.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * The bad-input matrix: public entry points x kinds of bad input. Each cell calls one entry point with one bad value
 * and checks the documented exception type, that its message names the value and the rule, and that the state the
 * cell observes is the same before and after. {@link #tests()} yields one dynamic test per cell and a last one that
 * records the counts with {@link ReliabilityReport} (kind {@code bad-input}).
 */
public final class BadInputMatrix {

  /** The kinds of bad input. */
  public enum Category {
    MISALIGNED,
    NEGATIVE,
    OUT_OF_RANGE,
    OVERFLOW,
    ZERO_LENGTH,
    NULL,
    UNKNOWN_PROVIDER,
    BAD_GRANULARITY,
    MALFORMED_TRACE_LINE,
    TRACE_ADDRESS_OUTSIDE,
    /** A value outside the entry point's documented set (an unknown option, a policy a back-end cannot serve). */
    BAD_VALUE;

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final Supplier<Object> NO_STATE = () -> "";

  private final String label;
  private final List<DynamicTest> cells = new ArrayList<>();
  private final Set<String> entryPoints = new TreeSet<>();
  private final EnumSet<Category> categories = EnumSet.noneOf(Category.class);
  private int passed;

  /** A matrix whose counts are recorded under {@code label} (the module). */
  public BadInputMatrix(String label) {
    this.label = label;
  }

  /**
   * Adds a cell.
   *
   * @param entryPoint the public method or constructor, e.g. {@code AttributeManager.convert}
   * @param category the kind of bad input
   * @param expected the documented exception type
   * @param value text the message must contain: the bad value as the message spells it (e.g. {@code 0x1800})
   * @param rule text the message must contain: the rule broken (e.g. {@code not aligned to the granularity})
   * @param state what must not change (compared with {@code equals} before and after); null when the entry point
   *     has no state (a constructor, a parser of a value)
   * @param call the call with the bad input
   */
  public BadInputMatrix cell(String entryPoint, Category category, Class<? extends Throwable> expected, String value,
      String rule, Supplier<Object> state, Executable call) {
    Supplier<Object> observed = state == null ? NO_STATE : state;
    entryPoints.add(entryPoint);
    categories.add(category);
    String name = entryPoint + " x " + category.label() + " (" + value + ")";
    cells.add(DynamicTest.dynamicTest(name, () -> {
      Object before = observed.get();
      Throwable t = assertThrows(expected, call, name);
      String message = String.valueOf(t.getMessage());
      assertTrue(message.contains(value), name + ": the message does not name the value '" + value + "': " + message);
      assertTrue(message.contains(rule), name + ": the message does not state the rule '" + rule + "': " + message);
      assertEquals(before, observed.get(), name + ": the bad call changed the state");
      passed++;
    }));
    return this;
  }

  /** The cells, then the count. */
  public Stream<DynamicTest> tests() {
    DynamicTest summary = DynamicTest.dynamicTest("matrix counts", () -> {
      ReliabilityReport.record("bad-input", label, ReliabilityReport.counts("cells", cells.size(), "passed", passed,
          "entry-points", entryPoints.size(), "categories", categories.size()));
      assertEquals(cells.size(), passed, "cells that passed");
    });
    return Stream.concat(cells.stream(), Stream.of(summary));
  }
}
