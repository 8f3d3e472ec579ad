package org.guestmem.it.realkernel;

/**
 * The contracts on a real iommufd IOAS with the edu cdev attached and the compat cut path (HUGE_PAGES=0, compat IOAS,
 * VFIO_IOMMU_UNMAP_DMA cuts).
 */
class IommufdDeviceCutRealContractTest extends IommufdRealContracts {
  IommufdDeviceCutRealContractTest() {
    super(true, true);
  }
}
