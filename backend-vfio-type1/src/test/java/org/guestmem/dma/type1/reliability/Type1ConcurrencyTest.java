package org.guestmem.dma.type1.reliability;

import java.util.List;
import java.util.stream.Stream;
import org.guestmem.dma.MappingPolicy;
import org.guestmem.reliability.ConcurrentRegions;
import org.guestmem.reliability.ConcurrentRegions.Setup;
import org.guestmem.reliability.FaultSweep;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Concurrent conversions with DMA mapping listeners on the embedded type1v2 model and injected kernel faults: 8
 * threads on one region (linearizability with a DMA listener), and on four regions with one container each or one
 * shared container, with and without combining.
 */
class Type1ConcurrencyTest {

  @TestFactory
  Stream<DynamicTest> concurrentConversionsKeepEveryRegionMappedExactly() {
    FaultSweep.Target t = Type1Faults.target();
    List<Setup> setups = List.of(
        new Setup(t.label(), t.open(), t.faults(), MappingPolicy.GRANULE, 1, false, false, 8, 1500),
        new Setup(t.label(), t.open(), t.faults(), MappingPolicy.GRANULE, 1, false, true, 8, 1500),
        new Setup(t.label(), t.open(), t.faults(), MappingPolicy.GRANULE, 4, false, true, 8, 1500),
        new Setup(t.label(), t.open(), t.faults(), MappingPolicy.GRANULE, 4, true, false, 8, 1500));
    return ConcurrentRegions.tests("vfio-type1", setups, 1, 2);
  }
}
