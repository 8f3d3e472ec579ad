package org.guestmem.it.realkernel;

/**
 * The contracts on a real iommufd IOAS with no device attached (no pinning, any IOVA at alignment 1), huge pages on.
 */
class IommufdNoDeviceRealContractTest extends IommufdRealContracts {
  IommufdNoDeviceRealContractTest() {
    super(false, false);
  }
}
