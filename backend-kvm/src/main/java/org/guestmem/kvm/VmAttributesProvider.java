package org.guestmem.kvm;

import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider;

/** Provider {@code vm-attributes}: the embedded model of {@code KVM_SET_MEMORY_ATTRIBUTES} ({@link VmAttributesModel}). */
public final class VmAttributesProvider implements MemoryAttributeBackendProvider {
  static final String NAME = "vm-attributes";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryAttributeBackend open(Region region) {
    if (!region.options().isEmpty()) {
      throw new IllegalArgumentException("unknown " + NAME + " options " + region.options().keySet()
          + "; it takes none");
    }
    return new VmAttributesModel(region);
  }
}
