package org.guestmem.it.realkernel;

/**
 * The contracts on a real iommufd IOAS with the edu cdev bound and attached (pins on map, 39-bit aperture minus the
 * interrupt window).
 */
class IommufdDeviceRealContractTest extends IommufdRealContracts {
  IommufdDeviceRealContractTest() {
    super(true, false);
  }
}
