package org.guestmem.dma.type1;

import java.util.Map;
import org.guestmem.dma.conformance.DmaContractSuite;

/**
 * The DMA back-end contract and the mapping-listener contract against the embedded type1v2 model (default entry
 * limit 65535).
 */
class Type1EmbeddedContractTest extends DmaContractSuite {
  Type1EmbeddedContractTest() {
    super(() -> new Type1Provider().open(Map.of("kernel", "embedded")), UnmapRules.TYPE1V2, true);
  }
}
