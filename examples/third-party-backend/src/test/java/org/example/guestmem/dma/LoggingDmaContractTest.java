package org.example.guestmem.dma;

import java.util.Map;
import org.guestmem.dma.conformance.DmaContractSuite;

/**
 * {@code DmaBackendContract} (type1v2's unmap rules, cut, entry limit, close) and {@code DmaMappingListenerContract}
 * (both mapping policies, randomized conversions with injected failures) on the back-end as its provider opens it.
 * The suite maps real anonymous memory; this back-end never touches it.
 */
class LoggingDmaContractTest extends DmaContractSuite {
  LoggingDmaContractTest() {
    super(() -> new LoggingDmaProvider().open(Map.of("kernel", "embedded", "log", "none")), UnmapRules.TYPE1V2,
        true);
  }
}
