package org.guestmem.dma.iommufd.reliability;

import java.util.List;
import java.util.stream.Stream;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.reliability.DoubleFaultSweep;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The double-fault sweep on the embedded iommufd model: granule on a plain IOAS, coalesce with cut=true (the compat
 * unmap that cuts). Two errnos of {@code IOMMU_IOAS_MAP}, {@code IOMMU_IOAS_UNMAP} (with its non-atomic walk) and
 * the compat {@code VFIO_IOMMU_UNMAP_DMA} at every pair of nearby calls of a seeded workload; coalesce also with two
 * listeners on two address spaces (a refusal in one is compensated in the other).
 */
class IommufdDoubleFaultSweepTest {

  @TestFactory
  Stream<DynamicTest> twoFaultsNeverLeaveAStaleMapping() {
    return DoubleFaultSweep.tests("iommufd", List.of(
        new DoubleFaultSweep.Case(IommufdFaults.target(false), MappingPolicy.GRANULE, 1),
        new DoubleFaultSweep.Case(IommufdFaults.target(true), MappingPolicy.COALESCE, 1),
        new DoubleFaultSweep.Case(IommufdFaults.target(true), MappingPolicy.COALESCE, 2)));
  }
}
