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
}
