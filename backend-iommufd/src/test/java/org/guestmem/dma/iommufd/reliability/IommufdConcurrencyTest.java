package org.guestmem.dma.iommufd.reliability;

import java.util.List;
import java.util.stream.Stream;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.reliability.ConcurrentRegions;
import org.guestmem.reliability.ConcurrentRegions.Setup;
import org.guestmem.reliability.FaultSweep;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Concurrent conversions with DMA mapping listeners on the embedded iommufd model (cut=true, so both policies) and
 * injected kernel faults, including the non-atomic unmap walk and partial cuts: 8 threads on one region
 * (linearizability with a DMA listener), and on four regions with one IOAS each or one shared IOAS, with and without
 * combining.
 */
class IommufdConcurrencyTest {

  @TestFactory
  Stream<DynamicTest> concurrentConversionsKeepEveryRegionMappedExactly() {
    FaultSweep.Target plain = IommufdFaults.target(false);
    FaultSweep.Target cut = IommufdFaults.target(true);
    List<Setup> setups = List.of(
        new Setup(cut.label(), cut.open(), cut.faults(), MappingPolicy.COALESCE, 1, false, false, 8, 1500),
        new Setup(cut.label(), cut.open(), cut.faults(), MappingPolicy.COALESCE, 1, false, true, 8, 1500),
        new Setup(cut.label(), cut.open(), cut.faults(), MappingPolicy.COALESCE, 4, false, true, 8, 1500),
        new Setup(cut.label(), cut.open(), cut.faults(), MappingPolicy.GRANULE, 4, true, false, 8, 1500),
        new Setup(plain.label(), plain.open(), plain.faults(), MappingPolicy.GRANULE, 4, true, true, 8, 1500));
    return ConcurrentRegions.tests("iommufd", setups, 1, 2);
  }
}
