package org.guestmem.it.realkernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.guestmem.conformance.DmaBackendContract;
import org.guestmem.conformance.DmaMappingListenerContract;
import org.guestmem.dma.type1.linux.AnonymousMemory;
import org.guestmem.spi.DmaBackend;

/** The DMA back-end and mapping-listener contracts on a real iommufd IOAS with the edu cdev bound and attached (pins on map, 39-bit aperture minus the interrupt window). */
class IommufdDeviceRealContractTest implements DmaBackendContract, DmaMappingListenerContract {

  @Override
  public DmaBackend open() {
    DmaBackend b = RealKernel.iommufd(true, false);
    assertTrue(b.capabilities().realKernel(), b.capabilities().description());
    return b;
  }

  @Override
  public UnmapRules unmapRules() {
    return UnmapRules.IOMMUFD;
  }

  @Override
  public long allocateBuffer(long bytes) {
    return AnonymousMemory.map(bytes);
  }

  @Override
  public void freeBuffer(long vaddr, long bytes) {
    AnonymousMemory.unmap(vaddr, bytes);
  }
}
