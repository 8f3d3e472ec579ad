package org.guestmem.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.guestmem.conformance.DirectPins;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.Errno;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider.Region;
import org.guestmem.spi.MemoryAttributeException;
import org.guestmem.spi.PinnedRanges;
import org.junit.jupiter.api.Test;

/**
 * The {@code guest-memfd} provider's options and the content rule C1 (docs/kvm-attributes.md section 4): with
 * {@code content=zero} a conversion to private is EOPNOTSUPP and changes nothing, while one to shared is allowed;
 * unknown options and values are refused naming them. Also that {@code vm-attributes} takes no option.
 */
class GuestMemfdContentTest {
  static final long P = 4096;
  static final long SIZE = 32 * P;
  static final long HOST = 0x7f00_0000_0000L;
  static final long FILE_OFFSET = 0x40_0000L;

  private static MemoryAttributeBackend open(Map<String, String> options, PinnedRanges pins) {
    return new GuestMemfdProvider().open(new Region(SIZE, 0x1_0000_0000L, FILE_OFFSET, HOST, pins, options));
  }

  @Test
  void contentZeroRefusesAConversionToPrivateWithEopnotsuppAndChangesNothing() {
    try (MemoryAttributeBackend b = open(Map.of("content", "zero"), PinnedRanges.NONE)) {
      b.convert(0, 8 * P, true); // zeroing towards shared is promised: allowed
      assertTrue(b.isUniform(0, 8 * P, true));
      MemoryAttributeException e = assertThrows(MemoryAttributeException.class, () -> b.convert(2 * P, 4 * P, false));
      assertEquals(Errno.EOPNOTSUPP, e.errnoConstant(), e.getMessage());
      assertEquals("KVM_SET_MEMORY_ATTRIBUTES2", e.ioctl());
      assertTrue(e.arguments().contains("flags=zero") && e.arguments().contains("attributes=0x8"), e.arguments());
      assertTrue(e.errorOffset().isEmpty() && e.errorRegionOffset().isEmpty(), "no page is to blame: " + e);
      assertTrue(b.isUniform(0, 8 * P, true), "a refused conversion changed the state");
      assertTrue(b.isUniform(8 * P, SIZE - 8 * P, false));
      // The range rules come first (E1-E3), as for every other mode.
      MemoryAttributeException bad = assertThrows(MemoryAttributeException.class, () -> b.convert(P + 1, P, false));
      assertEquals(Errno.EINVAL, bad.errnoConstant(), bad.getMessage());
    }
  }

  @Test
  void contentZeroIsEopnotsuppEvenWhenAPageIsPinned() {
    DirectPins pins = new DirectPins().pin(HOST + 3 * P, P);
    try (MemoryAttributeBackend b = open(Map.of("content", "zero"), pins)) {
      b.convert(0, 8 * P, true);
      MemoryAttributeException e = assertThrows(MemoryAttributeException.class, () -> b.convert(0, 8 * P, false));
      assertEquals(Errno.EOPNOTSUPP, e.errnoConstant(), "a retry cannot help, so it is not EAGAIN: " + e);
      assertTrue(b.isUniform(0, 8 * P, true));
    }
  }

  @Test
  void throughTheManagerContentZeroIsRefusedAtOnceAndUndone() {
    try (MemoryAttributeBackend b = open(Map.of("content", "zero"), PinnedRanges.NONE)) {
      AttributeManager m = AttributeManager.builder().layout(new RegionLayout(SIZE, P, 0x1_0000_0000L, HOST))
          .store(new ModelStoreProvider()).memoryAttributes(b).pinRetries(3).build();
      m.share(0, 8 * P);
      ConversionException e = assertThrows(ConversionException.class, () -> m.makePrivate(0, 4 * P));
      assertEquals(Errno.EOPNOTSUPP, ((MemoryAttributeException) e.getCause()).errnoConstant(), e.getMessage());
      assertTrue(e.isConsistent());
      assertEquals(0, m.pinRetriesMade(), "only EAGAIN is retried");
      assertTrue(m.isPopulated(0, 8 * P) && b.isUniform(0, 8 * P, true));
    }
  }

  @Test
  void everyValidContentModeIsAcceptedAndGoesIntoTheCallsFlags() {
    for (String mode : List.of("unspecified", "zero", "preserve", "PRESERVE", "Zero")) {
      try (MemoryAttributeBackend b = open(Map.of("content", mode), PinnedRanges.NONE)) {
        b.convert(0, 4 * P, true);
        MemoryAttributeException e = assertThrows(MemoryAttributeException.class, () -> b.convert(0, 0, true));
        assertTrue(e.arguments().endsWith("flags=" + mode.toLowerCase()), mode + ": " + e.arguments());
      }
    }
    try (MemoryAttributeBackend b = open(Map.of(), PinnedRanges.NONE)) {
      MemoryAttributeException e = assertThrows(MemoryAttributeException.class, () -> b.convert(0, 0, true));
      assertTrue(e.arguments().endsWith("flags=unspecified"), "the default: " + e.arguments());
      b.convert(0, 4 * P, true);
      b.convert(0, 4 * P, false); // unspecified content: converting to private is allowed
      assertTrue(b.isUniform(0, SIZE, false));
    }
  }

  @Test
  void anUnknownOptionIsRefusedNamingTheKeyAndTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> open(Map.of("contents", "zero"), PinnedRanges.NONE));
    assertTrue(e.getMessage().contains("'contents'") && e.getMessage().contains("known: content"), e.getMessage());
    IllegalArgumentException alongside = assertThrows(IllegalArgumentException.class,
        () -> open(Map.of("content", "zero", "fd", "7"), PinnedRanges.NONE));
    assertTrue(alongside.getMessage().contains("'fd'"), alongside.getMessage());
  }

  @Test
  void anUnknownContentModeIsRefusedNamingTheValueAndTheModes() {
    for (String bad : List.of("zeroes", "", "keep")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> open(Map.of("content", bad), PinnedRanges.NONE), bad);
      assertTrue(e.getMessage().contains("content='" + bad + "'")
          && e.getMessage().contains("unspecified, zero or preserve"), e.getMessage());
    }
  }

  @Test
  void vmAttributesTakesNoOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VmAttributesProvider()
        .open(new Region(SIZE, 0, 0, HOST, PinnedRanges.NONE, Map.of("content", "zero"))));
    assertTrue(e.getMessage().contains("content") && e.getMessage().contains("takes none"), e.getMessage());
  }
}
