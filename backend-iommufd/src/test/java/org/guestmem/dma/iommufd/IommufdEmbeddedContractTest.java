package org.guestmem.dma.iommufd;

import java.util.Map;
import org.guestmem.conformance.DmaBackendContract;
import org.guestmem.conformance.DmaMappingListenerContract;
import org.guestmem.dma.type1.linux.AnonymousMemory;
import org.guestmem.spi.DmaBackend;

/** The contracts against the default embedded model (a device attached, huge pages on: no cuts). */
class IommufdEmbeddedContractTest implements DmaBackendContract, DmaMappingListenerContract {

  @Override
  public DmaBackend open() {
    return new IommufdProvider().open(Map.of("kernel", "embedded"));
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
