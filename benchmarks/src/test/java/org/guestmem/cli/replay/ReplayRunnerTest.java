package org.guestmem.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.guestmem.workload.WorkloadSpec;
import org.guestmem.workload.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the replay measures about itself: the live stores by JOL, the operation count, the checks made. */
class ReplayRunnerTest {

  static RunConfig checkerboard(long size, boolean verify, long verifyEvery) {
    return new RunConfig("checkerboard", null, OptionalLong.empty(), false, size, 4096, 1, 0, null, "bitmap",
        "iommufd", "embedded", "granule", "on-demand", verify, verifyEvery, java.util.Map.of());
  }

  @Test
  void theLiveStoreMeasuredByJolIsWhatTheBitmapCountsItself() {
    RunSummary s = ReplayRunner.run(checkerboard(1L << 30, false, 0), ReplayRunner.Progress.NONE);
    assertTrue(s.storeBytesJol() > 0, "JOL measured: " + s.storeBytesJol());
    // The bitmap's own figure is exact (its tests hold it to JOL), so the live store must measure the same.
    assertEquals(s.storeBytesOwn(), s.storeBytesJol());
    assertEquals(Workloads.named("checkerboard").operations(WorkloadSpec.of(1L << 30, 4096, 1)), s.operations());
  }

  @Test
  void verifyChecksEveryOperationAndVerifyEveryTheWholeRegion() {
    RunSummary s = ReplayRunner.run(checkerboard(64L << 20, true, 1000), ReplayRunner.Progress.NONE);
    assertEquals(8192, s.operations());
    assertEquals(8193, s.verifiedSteps(), "one per operation and one at the end");
    assertEquals(9, s.verifiedWhole(), "every 1,000 operations and at the end");
    s = ReplayRunner.run(checkerboard(64L << 20, false, 3000), ReplayRunner.Progress.NONE);
    assertEquals(3, s.verifiedSteps(), "at 3,000, 6,000 and the end");
  }

  @Test
  void aRecordingShowsEveryDmaCallWithItsDurationAndAddressesAsAddresses(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.jfr");
    RunSummary s;
    try (Recording r = new Recording()) {
      r.enable("org.guestmem.DmaCall").withThreshold(Duration.ZERO);
      r.enable("org.guestmem.Conversion").withThreshold(Duration.ZERO);
      r.start();
      s = ReplayRunner.run(new RunConfig("dynamic-dma", null, OptionalLong.empty(), false, 1L << 30, 4096, 1, 300,
          null, "bitmap", "iommufd", "embedded", "coalesce", "on-demand", false, 0, java.util.Map.of()),
          ReplayRunner.Progress.NONE);
      r.stop();
      r.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    Map<String, Long> calls = new TreeMap<>();
    for (RecordedEvent e : events) {
      if (e.getEventType().getName().equals("org.guestmem.DmaCall")) {
        assertEquals("iommufd", e.getString("backend"));
        assertEquals("0x100000000", e.getString("region"), "the region the call was made for: its IOVA base");
        assertTrue(e.getDuration().toNanos() >= 0);
        calls.merge(e.getString("operation"), 1L, Long::sum);
      }
    }
    // Closing the path unmaps what is left, after the summary's counts were taken: at least these many.
    assertEquals(s.mapCalls(), calls.getOrDefault("map", 0L), calls.toString());
    assertEquals(s.splitCalls(), calls.getOrDefault("cut", 0L), calls.toString());
    assertTrue(s.splitCalls() > 0, "coalesce on dynamic-dma cuts");
    assertTrue(calls.getOrDefault("unmap", 0L) >= s.unmapCalls(), calls.toString());
    for (String type : new String[] {"org.guestmem.DmaCall", "org.guestmem.Conversion"}) {
      RecordedEvent e = events.stream().filter(x -> x.getEventType().getName().equals(type)).findFirst()
          .orElseThrow();
      assertEquals("0x100000000", e.getString("region"), type);
      String field = type.endsWith("DmaCall") ? "iova" : "offset";
      assertEquals("jdk.jfr.MemoryAddress", e.getEventType().getField(field).getContentType(),
          type + "." + field + " prints in hex");
    }
  }
}
