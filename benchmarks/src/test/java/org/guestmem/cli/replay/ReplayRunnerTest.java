package org.guestmem.cli.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.guestmem.workload.WorkloadSpec;
import org.guestmem.workload.Workloads;
import org.junit.jupiter.api.Test;

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
}
