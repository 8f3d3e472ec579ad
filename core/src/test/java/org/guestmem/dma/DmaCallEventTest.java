package org.guestmem.dma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.dma.backend.LedgerOnlyBackend;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RegionLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A region's mapping listener records every map and unmap it makes on a plain kit back-end (no kernel under it) as an
 * org.guestmem.DmaCall JFR event: the back-end's and the region's names, the operation, IOVA, length, the entries
 * held after it and whether it failed.
 */
class DmaCallEventTest {
  private static final long G = 4096;
  private static final long IOVA_BASE = 0x1_0000_0000L;

  /** One event as {@code operation iova+length entriesAfter [failed]}, IOVA as an offset in granules. */
  private static String call(RecordedEvent e) {
    return e.getString("operation") + " " + (e.getLong("iova") - IOVA_BASE) / G + "+" + e.getLong("length") / G
        + " " + e.getLong("entriesAfter") + (e.getBoolean("failed") ? " failed" : "");
  }

  @Test
  void everyMapAndUnmapOfTheListenerIsAnEventWithItsRangeAndOutcome(@TempDir Path dir) throws Exception {
    AttributeManager m = AttributeManager.builder().name("pc.ram")
        .layout(new RegionLayout(16 * G, G, IOVA_BASE, 0x7f00_0000_0000L)).store(new ModelStoreProvider()).build();
    LedgerOnlyBackend backend = new LedgerOnlyBackend("ledger-only", "a test", 3);
    Path file = dir.resolve("dma.jfr");
    try (Recording r = new Recording()) {
      r.enable("org.guestmem.DmaCall").withThreshold(Duration.ZERO);
      r.start();
      DmaMappingListener l = DmaMappingListener.register(m, backend, MappingPolicy.GRANULE);
      m.share(0, 2 * G);
      m.makePrivate(0, G);
      // Two more granules fit, the third passes the limit: refused, and the two are unmapped again.
      assertThrows(ConversionException.class, () -> m.share(4 * G, 4 * G));
      l.close();
      r.stop();
      r.dump(file);
    }
    List<String> calls = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (!e.getEventType().getName().equals("org.guestmem.DmaCall")) {
        continue; // the conversions' own events
      }
      assertEquals("ledger-only", e.getString("backend"));
      assertEquals("pc.ram", e.getString("region"));
      assertTrue(e.getDuration().toNanos() >= 0);
      calls.add(call(e));
    }
    assertEquals(List.of("map 0+1 1", "map 1+1 2", "unmap 0+1 1", "map 4+1 2", "map 5+1 3", "map 6+1 3 failed",
        "unmap 4+2 1", "unmap 1+1 0"), calls);
  }

  @Test
  void withoutARecordingTheCallsStillReachTheBackEnd() {
    AttributeManager m = AttributeManager.builder().layout(RegionLayout.of(4 * G, G))
        .store(new ModelStoreProvider()).build();
    LedgerOnlyBackend backend = new LedgerOnlyBackend("ledger-only", "a test", 8);
    DmaMappingListener l = DmaMappingListener.register(m, backend, MappingPolicy.GRANULE);
    m.share(0, 3 * G);
    assertEquals(3, backend.entries());
    m.makePrivate(G, G);
    assertEquals(2, backend.entries());
    l.close();
    assertEquals(0, backend.entries());
  }
}
