package org.guestmem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.backend.DmaOptions;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RamDiscardListener;
import org.guestmem.region.RegionLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the library logs (through System.Logger, which lands in java.util.logging here), at which level. */
class LibraryLogsTest {
  private final List<LogRecord> records = new ArrayList<>();
  private final Logger root = Logger.getLogger("org.guestmem");
  private Level saved;
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      synchronized (records) {
        records.add(r);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void capture() {
    saved = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void release() {
    root.removeHandler(capture);
    root.setLevel(saved);
  }

  private List<String> messages(Level level) {
    List<String> out = new ArrayList<>();
    synchronized (records) {
      for (LogRecord r : records) {
        if (r.getLevel().equals(level)) {
          out.add(java.text.MessageFormat.format(r.getMessage(), r.getParameters()));
        }
      }
    }
    return out;
  }

  /** A listener that refuses every populate (registration on a fresh region populates nothing). */
  static RamDiscardListener refusing() {
    return new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        throw new IllegalStateException("no room for [0x" + Long.toHexString(offset) + "]");
      }

      @Override
      public void discard(long offset, long length) {}

      @Override
      public String toString() {
        return "refusing listener";
      }
    };
  }

  static AttributeManager region() {
    return AttributeManager.builder().layout(RegionLayout.of(1 << 24, 4096)).store(new ModelStoreProvider()).build();
  }

  @Test
  void aRefusedConversionIsInfoAndOneNotFullyUndoneIsAnError() {
    AttributeManager region = region();
    RamDiscardListener first = new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {}

      @Override
      public void discard(long offset, long length) {
        throw new IllegalStateException("cannot release");
      }
    };
    region.registerListener(first, 0, 1 << 24);
    region.registerListener(refusing(), 0, 1 << 24);
    ConversionException e = assertThrows(ConversionException.class, () -> region.share(0x3000, 0x1000));
    assertFalse(e.isConsistent(), "the first listener's compensating discard failed");
    assertTrue(messages(Level.WARNING).stream().anyMatch(m -> m.startsWith("compensating discard of [0x3000, 0x4000)")
        && m.contains("failed")), records.toString());
    assertTrue(messages(Level.SEVERE).stream().anyMatch(m -> m.startsWith("conversion refused and NOT fully undone")
        && m.contains("[0x3000, 0x4000)")), records.toString());
  }

  @Test
  void aRefusedConversionUndoneExactlyIsInfo() {
    AttributeManager region = region();
    region.registerListener(refusing(), 0, 1 << 24);
    ConversionException e = assertThrows(ConversionException.class, () -> region.share(0x5000, 0x2000));
    assertTrue(e.isConsistent());
    assertEquals(1, messages(Level.INFO).stream().filter(m -> m.startsWith("conversion refused and undone: ")
        && m.contains("[0x5000, 0x7000)")).count(), records.toString());
    assertTrue(messages(Level.SEVERE).isEmpty(), records.toString());
  }

  @Test
  void theKernelPathChosenIsLoggedAndAutoFallingBackIsAWarning() {
    DmaOptions auto = DmaOptions.parse("iommufd", Map.of("kernel", "auto"), Set.of());
    assertFalse(auto.chooseKernel("/dev/iommu does not exist", "/dev/iommu absent").real());
    assertEquals(List.of("iommufd: embedded kernel model (kernel=auto: /dev/iommu absent)"),
        messages(Level.WARNING));
    DmaOptions real = DmaOptions.parse("iommufd", Map.of("kernel", "real"), Set.of());
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> real.chooseKernel("/dev/iommu does not exist", "/dev/iommu absent"));
    assertEquals("iommufd kernel=real: /dev/iommu does not exist", refused.getMessage(), "no fallback");
    assertEquals(List.of("iommufd kernel=real refused: /dev/iommu does not exist"), messages(Level.SEVERE));
    DmaOptions.parse("iommufd", Map.of("kernel", "embedded"), Set.of()).chooseKernel(null, "/dev/iommu present");
    assertTrue(messages(Level.INFO).contains("iommufd: embedded kernel model (kernel=embedded)"), records.toString());
  }
}
