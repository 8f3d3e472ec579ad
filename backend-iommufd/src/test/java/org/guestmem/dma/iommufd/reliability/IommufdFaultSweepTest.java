package org.guestmem.dma.iommufd.reliability;

import java.util.List;
import java.util.stream.Stream;
import org.guestmem.reliability.FaultSweep;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The fault sweep on the embedded iommufd model, opened plain (granule; coalesce refused at registration) and with
 * cut=true (granule and coalesce): every errno of {@code IOMMU_IOAS_MAP}, {@code IOMMU_IOAS_UNMAP} (including the
 * non-atomic walk) and the compat {@code VFIO_IOMMU_UNMAP_DMA} cut at every call of a seeded workload.
 */
class IommufdFaultSweepTest {

  @TestFactory
  Stream<DynamicTest> everyErrnoAtEveryCallLeavesNoStaleMapping() {
    return FaultSweep.tests("iommufd", List.of(IommufdFaults.target(false), IommufdFaults.target(true)));
  }
}
