package org.guestmem.dma.iommufd;

import java.util.Map;
import org.guestmem.conformance.DmaBackendContract;
import org.guestmem.dma.type1.linux.AnonymousMemory;
import org.guestmem.spi.DmaBackend;

/** The contracts against the embedded model of an IOAS with no device attached: alignment 1, one range [0, U64_MAX], no pinning. */
class IommufdNoDomainContractTest implements DmaBackendContract {

  @Override
  public DmaBackend open() {
    return new IommufdProvider().open(Map.of("kernel", "embedded", "domain", "false", "cut", "true"));
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
    return false;
  }
}
