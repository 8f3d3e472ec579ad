package org.example.guestmem.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.junit.jupiter.api.Test;

/** What the contracts leave to this back-end: its log lines, its options and the kernel path it refuses. */
class LoggingDmaBackendTest {
  private static final long BASE = 1L << 32;

  @Test
  void everyCallIsLoggedWithItsOutcome() {
    List<String> lines = new ArrayList<>();
    try (LoggingDmaBackend b = new LoggingDmaBackend("kernel=embedded", 3, 96, lines::add)) {
      b.map(BASE, 0x4000, 0x7f00_0000_0000L, true, true);
      DmaException e = assertThrows(DmaException.class, () -> b.map(BASE + 0x1000, 0x1000, 0x7f00_0000_0000L, true,
          false));
      assertEquals(Errno.EEXIST.number(), e.errno());
      assertEquals(0x2000, b.cut(BASE + 0x1000, 0x2000));
      assertEquals(0x1000, b.unmap(BASE, 0x1000));
    }
    assertEquals(List.of(
        "MAP iova=0x100000000 length=0x4000 vaddr=0x7f0000000000 rw -> ok",
        "MAP iova=0x100001000 length=0x1000 vaddr=0x7f0000000000 r- -> EEXIST: overlaps "
            + "[0x100000000, +0x4000) -> 0x7f0000000000 rw",
        "CUT iova=0x100001000 length=0x2000 -> 0x2000 bytes",
        "UNMAP iova=0x100000000 length=0x1000 -> 0x1000 bytes",
        "UNMAP_ALL -> 0x1000 bytes"), lines, "the last line is close() unmapping what was left");
  }

  @Test
  void optionsSetTheEntryLimitAndTheKernelCostAndUnknownOnesAreRefused() {
    try (DmaBackend b = new LoggingDmaProvider().open(Map.of("entry-limit", "2", "bytes-per-entry", "384",
        "log", "none"))) {
      assertEquals(2, b.capabilities().remainingEntries());
      b.map(BASE, 0x1000, 0, true, true);
      b.map(BASE + 0x2000, 0x1000, 0, true, true);
      assertEquals(2 * 384, b.kernelBytesEstimate());
      assertEquals(Errno.ENOSPC.number(),
          assertThrows(DmaException.class, () -> b.map(BASE + 0x4000, 0x1000, 0, true, true)).errno());
      // Cutting the middle out of one mapping needs one more entry.
      b.unmap(BASE + 0x2000, 0x1000);
      b.map(BASE + 0x4000, 0x3000, 0, true, true);
      assertEquals(Errno.ENOSPC.number(),
          assertThrows(DmaException.class, () -> b.cut(BASE + 0x5000, 0x1000)).errno());
      assertEquals(2, b.entries());
    }
    String unknown = assertThrows(IllegalArgumentException.class,
        () -> new LoggingDmaProvider().open(Map.of("entry-limt", "2"))).getMessage();
    assertTrue(unknown.contains("entry-limt") && unknown.contains("entry-limit"), unknown);
    String zero = assertThrows(IllegalArgumentException.class,
        () -> new LoggingDmaProvider().open(Map.of("entry-limit", "0"))).getMessage();
    assertTrue(zero.contains("entry-limit=0"), zero);
    String log = assertThrows(IllegalArgumentException.class,
        () -> new LoggingDmaProvider().open(Map.of("log", "syslog"))).getMessage();
    assertTrue(log.contains("'syslog'"), log);
  }

  @Test
  void theRealKernelPathIsRefusedAndAutoSaysWhatItChose() {
    String real = assertThrows(IllegalArgumentException.class,
        () -> new LoggingDmaProvider().open(Map.of("kernel", "real"))).getMessage();
    assertTrue(real.contains("kernel=real") && real.contains("no kernel"), real);
    try (DmaBackend b = new LoggingDmaProvider().open(Map.of("log", "none"))) {
      String d = b.capabilities().description();
      assertTrue(d.startsWith("logging: embedded") && d.contains("kernel=auto"), d);
    }
  }
}
