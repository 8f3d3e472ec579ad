package org.guestmem.conformance;

import org.guestmem.spi.MemoryAttributeBackendProvider;

/** The contract on the reference model (without the pin check), so that the contract itself is tested in core. */
class ModelMemoryAttributesIgnoringPinsTest extends MemoryAttributeBackendContract {
  @Override
  protected MemoryAttributeBackendProvider provider() {
    return ModelMemoryAttributes.provider(false);
  }
}
