package org.guestmem.dma.iommufd;

import java.util.Map;
import org.guestmem.dma.conformance.DmaContractSuite;

/** The contracts against the embedded model opened with cut=true (HUGE_PAGES=0, compat IOAS): coalesce works. */
class IommufdCutContractTest extends DmaContractSuite {
  IommufdCutContractTest() {
    super(() -> new IommufdProvider().open(Map.of("kernel", "embedded", "cut", "true")), UnmapRules.IOMMUFD, true);
  }
}
