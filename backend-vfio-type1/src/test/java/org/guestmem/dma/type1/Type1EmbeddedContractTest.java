package org.guestmem.dma.type1;

import java.util.Map;
import org.guestmem.conformance.DmaBackendContract;
import org.guestmem.conformance.DmaMappingListenerContract;
import org.guestmem.dma.type1.linux.AnonymousMemory;
import org.guestmem.spi.DmaBackend;

/**
 * The DMA back-end contract and the mapping-listener contract against the embedded type1v2 model (default entry
 * limit 65535).
 */
class Type1EmbeddedContractTest implements DmaBackendContract, DmaMappingListenerContract {

  @Override
  public DmaBackend open() {
    return new Type1Provider().open(Map.of("kernel", "embedded"));
  }

  @Override
  public UnmapRules unmapRules() {
    return UnmapRules.TYPE1V2;
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
