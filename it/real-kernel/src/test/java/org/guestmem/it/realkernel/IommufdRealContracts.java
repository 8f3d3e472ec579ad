package org.guestmem.it.realkernel;

import org.guestmem.dma.conformance.DmaContractSuite;

/**
 * The DMA back-end and mapping-listener contracts on a real iommufd IOAS: with the edu cdev bound and attached or
 * with no device, through the compat cut path or not. iommufd pins only once a domain is attached, so mapping pins
 * exactly when the device is there.
 */
abstract class IommufdRealContracts extends DmaContractSuite {
  IommufdRealContracts(boolean device, boolean cut) {
    super(() -> RealKernel.real(RealKernel.iommufd(device, cut)), UnmapRules.IOMMUFD, device);
  }
}
