package org.guestmem.it.realkernel;

/** The contracts on a real iommufd IOAS with no device and the compat cut path (HUGE_PAGES=0, compat IOAS). */
class IommufdNoDeviceCutRealContractTest extends IommufdRealContracts {
  IommufdNoDeviceCutRealContractTest() {
    super(false, true);
  }
}
