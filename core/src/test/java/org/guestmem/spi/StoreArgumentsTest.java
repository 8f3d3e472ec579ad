package org.guestmem.spi;

import static org.guestmem.spi.StoreArguments.checkCreate;
import static org.guestmem.spi.StoreArguments.checkIndex;
import static org.guestmem.spi.StoreArguments.checkLimit;
import static org.guestmem.spi.StoreArguments.checkNoOptions;
import static org.guestmem.spi.StoreArguments.checkRange;
import static org.guestmem.spi.StoreArguments.checkState;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/** Each rule at its edges: the last values it accepts, the first it rejects and the message naming value and rule. */
class StoreArgumentsTest {

  @Test
  void acceptsTheEdgesOfEachRule() {
    assertAll(
        () -> checkIndex(0, 1),
        () -> checkIndex(99, 100),
        () -> checkRange(0, 100, 100),
        () -> checkRange(100, 100, 100),
        () -> checkRange(0, 0, 0),
        () -> checkLimit(5, 6, 100),
        () -> checkLimit(5, 100, 100),
        () -> checkState(1, 2),
        () -> checkState(3, 4),
        () -> checkCreate("bitmap", 0, 2, 2, 1),
        () -> checkCreate("model", 10, 256, 256, 255),
        () -> checkNoOptions("bitmap", Map.of()));
  }

  @TestFactory
  Stream<DynamicTest> rejectsPastTheEdgesNamingTheValueAndTheRule() {
    return Stream.of(
        rejected("block 100 is outside [0, 100)", () -> checkIndex(100, 100)),
        rejected("block -1 is outside [0, 100)", () -> checkIndex(-1, 100)),
        rejected("block 0 is outside [0, 0)", () -> checkIndex(0, 0)),
        rejected("range [-1, 5) is not inside [0, 100] or is reversed", () -> checkRange(-1, 5, 100)),
        rejected("range [5, 101) is not inside [0, 100] or is reversed", () -> checkRange(5, 101, 100)),
        rejected("range [50, 40) is not inside [0, 100] or is reversed", () -> checkRange(50, 40, 100)),
        rejected("limit 5 is not in (5, 100]", () -> checkLimit(5, 5, 100)),
        rejected("limit 101 is not in (5, 100]", () -> checkLimit(5, 101, 100)),
        rejected("state 2 is not 0 or 1", () -> checkState(2, 2)),
        rejected("state -1 is not 0 or 1", () -> checkState(-1, 2)),
        rejected("state 4 is outside [0, 4)", () -> checkState(4, 4)),
        rejected("block count -1 is negative", () -> checkCreate("bitmap", -1, 2, 2, 0)),
        rejected("the bitmap store holds exactly 2 states, not 3; compose two stores for more",
            () -> checkCreate("bitmap", 10, 3, 2, 0)),
        rejected("the model store holds 2 to 256 states, not 1", () -> checkCreate("model", 10, 1, 256, 0)),
        rejected("initial state 2 is not 0 or 1", () -> checkCreate("bitmap", 10, 2, 2, 2)),
        rejected("initial state 3 is outside [0, 3)", () -> checkCreate("model", 10, 3, 256, 3)),
        rejected("the bitmap store takes no options, got [leaf]", () -> checkNoOptions("bitmap", Map.of("leaf", "1"))));
  }

  private static DynamicTest rejected(String message, Executable call) {
    return DynamicTest.dynamicTest(message,
        () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage()));
  }
}
