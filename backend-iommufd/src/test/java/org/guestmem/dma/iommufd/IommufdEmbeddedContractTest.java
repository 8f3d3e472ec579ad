package org.guestmem.dma.iommufd;

import java.util.Map;
import org.guestmem.dma.conformance.DmaContractSuite;

/** The contracts against the default embedded model (a device attached, huge pages on: no cuts). */
class IommufdEmbeddedContractTest extends DmaContractSuite {
  IommufdEmbeddedContractTest() {
    super(() -> new IommufdProvider().open(Map.of("kernel", "embedded")), UnmapRules.IOMMUFD, true);
  }
}
