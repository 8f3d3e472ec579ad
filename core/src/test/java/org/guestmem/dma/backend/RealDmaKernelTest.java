package org.guestmem.dma.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Release order and failure handling of the real-kernel base: the last acquired first, every step once. */
class RealDmaKernelTest {

  /** Acquires three named resources; the one named in {@code failing} fails to release. */
  static final class ThreeDescriptors extends RealDmaKernel {
    final List<String> released = new ArrayList<>();

    ThreeDescriptors(String failing) {
      for (String name : List.of("iommufd", "ioas", "device")) {
        onRelease(() -> {
          released.add(name);
          if (name.equals(failing)) {
            throw new IllegalStateException("cannot release " + name);
          }
        });
      }
    }

    void failSetUp(RuntimeException primary) {
      release(primary);
    }

    @Override
    public String description() {
      return "three descriptors";
    }
  }

  @Test
  void closeReleasesTheLastAcquiredFirstAndEachOnce() {
    ThreeDescriptors k = new ThreeDescriptors(null);
    k.close();
    k.close();
    assertEquals(List.of("device", "ioas", "iommufd"), k.released);
    assertFalse(k.visitMappingRuns(run -> fail("the real kernel lists nothing: " + run)));
    assertEquals(-1, k.pinnedBytes());
    assertTrue(k.realKernel());
  }

  @Test
  void aFailedReleaseStillReleasesTheRestAndIsThrownAfterwards() {
    ThreeDescriptors k = new ThreeDescriptors("ioas");
    IllegalStateException e = assertThrows(IllegalStateException.class, k::close);
    assertEquals("cannot release ioas", e.getMessage());
    assertEquals(List.of("device", "ioas", "iommufd"), k.released);
  }

  @Test
  void aSetUpFailureKeepsItsExceptionAndCollectsTheReleaseFailures() {
    ThreeDescriptors k = new ThreeDescriptors("device");
    RuntimeException primary = new RuntimeException("IOMMU_IOAS_ALLOC failed");
    k.failSetUp(primary);
    assertEquals(List.of("device", "ioas", "iommufd"), k.released);
    assertEquals(1, primary.getSuppressed().length);
    assertSame(IllegalStateException.class, primary.getSuppressed()[0].getClass());
  }
}
