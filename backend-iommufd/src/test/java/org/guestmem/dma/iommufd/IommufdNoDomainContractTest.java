package org.guestmem.dma.iommufd;

import java.util.Map;
import org.guestmem.dma.conformance.DmaContractSuite;

/**
 * The contracts against the embedded model of an IOAS with no device attached: alignment 1, one range [0, U64_MAX],
 * no pinning.
 */
class IommufdNoDomainContractTest extends DmaContractSuite {
  IommufdNoDomainContractTest() {
    super(() -> new IommufdProvider().open(Map.of("kernel", "embedded", "domain", "false", "cut", "true")),
        UnmapRules.IOMMUFD, false);
  }
}
