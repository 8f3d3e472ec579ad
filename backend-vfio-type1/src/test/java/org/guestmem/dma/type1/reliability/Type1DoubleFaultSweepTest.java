package org.guestmem.dma.type1.reliability;

import java.util.List;
import java.util.stream.Stream;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.reliability.DoubleFaultSweep;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The double-fault sweep on the embedded type1v2 model, granule policy (type1v2 cannot cut, so coalesce is refused
 * at registration; the single-fault sweep checks that): two errnos of {@code VFIO_IOMMU_MAP_DMA} and
 * {@code VFIO_IOMMU_UNMAP_DMA} at every pair of nearby calls of a seeded workload, with one listener and with two
 * (two containers: a refusal in one is compensated in the other).
 */
class Type1DoubleFaultSweepTest {

  @TestFactory
  Stream<DynamicTest> twoFaultsNeverLeaveAStaleMapping() {
    return DoubleFaultSweep.tests("vfio-type1",
        List.of(new DoubleFaultSweep.Case(Type1Faults.target(), MappingPolicy.GRANULE, 1),
            new DoubleFaultSweep.Case(Type1Faults.target(), MappingPolicy.GRANULE, 2)));
  }
}
