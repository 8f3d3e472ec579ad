package org.guestmem.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.conformance.RecordingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each conversion emits one org.guestmem.Conversion JFR event with QEMU's trace-point fields and a duration. */
class ConversionEventTest {

  @Test
  void everyConversionIsRecordedWithItsFields(@TempDir Path dir) throws Exception {
    long g = 4096;
    AttributeManager m = AttributeManager.builder().layout(RegionLayout.of(64 * g, g))
        .store(new ModelStoreProvider()).build();
    RecordingListener l = new RecordingListener("l", g, 0, 64 * g);
    m.registerListener(l, 0, 64 * g);
    Path file = dir.resolve("conversions.jfr");
    try (Recording r = new Recording()) {
      r.enable("org.guestmem.Conversion").withThreshold(java.time.Duration.ZERO);
      r.start();
      m.share(0, 8 * g);
      m.share(4 * g, 8 * g);
      m.makePrivate(0, 64 * g);
      m.makePrivate(0, 64 * g);
      l.failOn(RecordingListener.Kind.POPULATE, 1);
      try {
        m.share(0, g);
      } catch (ConversionException expected) {
        // recorded as failed
      }
      r.stop();
      r.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    assertEquals(5, events.size());
    RecordedEvent first = events.get(0);
    assertEquals(0, first.getLong("offset"));
    assertEquals(8 * g, first.getLong("length"));
    assertEquals("private", first.getString("from"));
    assertEquals("shared", first.getString("to"));
    assertEquals(8, first.getLong("blocksChanged"));
    assertEquals(1, first.getInt("runsNotified"));
    assertFalse(first.getBoolean("failed"));
    assertTrue(first.getDuration().toNanos() >= 0);
    assertEquals("mixture", events.get(1).getString("from"));
    assertEquals(4, events.get(1).getLong("blocksChanged"));
    assertEquals("mixture", events.get(2).getString("from"));
    assertEquals("private", events.get(2).getString("to"));
    assertEquals(0, events.get(3).getLong("blocksChanged"), "an idempotent conversion changes nothing");
    assertTrue(events.get(4).getBoolean("failed"));
  }
  @Test
  void theEventsOfAGuestWithTwoRegionsNameTheirRegion(@TempDir Path dir) throws Exception {
    long g = 4096;
    AttributeManager low = AttributeManager.builder().name("pc.ram").layout(RegionLayout.of(16 * g, g))
        .store(new ModelStoreProvider()).build();
    AttributeManager high = AttributeManager.builder().layout(new RegionLayout(16 * g, g, 0x1_0000_0000L, 0))
        .store(new ModelStoreProvider()).build();
    assertEquals("pc.ram", low.name());
    assertEquals("0x100000000", high.name(), "by default the IOVA base in hex");
    Path file = dir.resolve("two.jfr");
    try (Recording r = new Recording()) {
      r.enable("org.guestmem.Conversion").withThreshold(java.time.Duration.ZERO);
      r.start();
      low.share(0, g);
      high.share(0, 2 * g);
      low.makePrivate(0, g);
      r.stop();
      r.dump(file);
    }
    List<String> seen = RecordingFile.readAllEvents(file).stream()
        .map(e -> e.getString("region") + " " + e.getString("to") + " " + e.getLong("length")).toList();
    assertEquals(List.of("pc.ram shared 4096", "0x100000000 shared 8192", "pc.ram private 4096"), seen);
  }

  @Test
  void aRegionNameIsOneLineOfPrintableText() {
    for (String bad : new String[] {"", "  ", "a\nb", "x".repeat(AttributeManagerBuilder.MAX_NAME_LENGTH + 1)}) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> AttributeManager.builder().name(bad));
      assertTrue(e.getMessage().startsWith("region name '") && e.getMessage().contains("must be 1 to 128 characters"),
          e.getMessage());
    }
    assertEquals("mem1", AttributeManager.builder().name("mem1").layout(RegionLayout.of(4096, 4096))
        .store(new ModelStoreProvider()).build().name());
  }
}
