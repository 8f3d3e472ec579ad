package org.guestmem.it.realkernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.guestmem.conformance.DmaBackendContract;
import org.guestmem.conformance.DmaMappingListenerContract;
import org.guestmem.dma.type1.linux.AnonymousMemory;
import org.guestmem.spi.DmaBackend;

/** The DMA back-end and mapping-listener contracts on a real iommufd IOAS with no device and the compat cut path (HUGE_PAGES=0, compat IOAS). */
class IommufdNoDeviceCutRealContractTest implements DmaBackendContract, DmaMappingListenerContract {

  @Override
  public DmaBackend open() {
    DmaBackend b = RealKernel.iommufd(false, true);
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

  @Override
  public boolean pinsOnMap() {
    return false; // iommufd pins only once a domain is attached
  }
}
