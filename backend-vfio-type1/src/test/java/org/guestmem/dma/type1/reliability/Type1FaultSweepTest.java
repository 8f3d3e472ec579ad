package org.guestmem.dma.type1.reliability;

import java.util.List;
import java.util.stream.Stream;
import org.guestmem.reliability.FaultSweep;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fault sweep on the embedded type1v2 model: every errno of {@code VFIO_IOMMU_MAP_DMA} and
 * {@code VFIO_IOMMU_UNMAP_DMA} at every call of a seeded workload, granule policy (coalesce is refused at
 * registration: type1v2 cannot cut).
 */
class Type1FaultSweepTest {

  @TestFactory
  Stream<DynamicTest> everyErrnoAtEveryCallLeavesNoStaleMapping() {
    return FaultSweep.tests("vfio-type1", List.of(Type1Faults.target()));
  }
}
