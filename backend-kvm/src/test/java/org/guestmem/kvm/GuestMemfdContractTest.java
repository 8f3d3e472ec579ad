package org.guestmem.kvm;

import org.guestmem.conformance.MemoryAttributeBackendContract;
import org.guestmem.spi.MemoryAttributeBackendProvider;

class GuestMemfdContractTest extends MemoryAttributeBackendContract {
  @Override
  protected MemoryAttributeBackendProvider provider() {
    return new GuestMemfdProvider();
  }
}
