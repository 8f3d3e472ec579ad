package org.guestmem.dma.iommufd;

import java.util.Map;
import org.guestmem.dma.conformance.DmaContractSuite;

/**
 * The contracts against the embedded model opened with map-file=true and cut=true: every buffer is a memfd, the
 * listener's regions name it as their backing file, so every mapping the listener makes is an
 * {@code IOMMU_IOAS_MAP_FILE} by file offset (both policies, compensation and injected failures included).
 */
class IommufdMapFileContractTest extends DmaContractSuite {
  IommufdMapFileContractTest() {
    super(() -> new IommufdProvider().open(Map.of("kernel", "embedded", "map-file", "true", "cut", "true")),
        UnmapRules.IOMMUFD, true, true);
  }
}
