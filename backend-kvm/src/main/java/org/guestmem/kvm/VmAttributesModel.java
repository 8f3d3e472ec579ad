package org.guestmem.kvm;

import org.guestmem.spi.MemoryAttributeBackendProvider.Region;
import org.guestmem.spi.MemoryAttributeCapabilities;

/**
 * An embedded model of the VM-wide ABI: {@code KVM_SET_MEMORY_ATTRIBUTES} on the VM file descriptor, by
 * guest-physical address, advertised by {@code KVM_CAP_MEMORY_ATTRIBUTES}. It only changes KVM's view of the range
 * (the shared and private memory are separate: the shared side is ordinary user memory), so it checks no page
 * references: converting pinned memory succeeds (docs/kvm-attributes.md rule V1). Ranges follow rules E1-E3 with
 * guest-physical addresses; every check comes before the change (A1). State is run-based. Not thread-safe.
 */
public final class VmAttributesModel extends EmbeddedAttributes {

  VmAttributesModel(Region region) {
    super(region);
  }

  @Override
  public String name() {
    return VmAttributesProvider.NAME;
  }

  @Override
  public MemoryAttributeCapabilities capabilities() {
    return new MemoryAttributeCapabilities("KVM_SET_MEMORY_ATTRIBUTES", "KVM_CAP_MEMORY_ATTRIBUTES", PAGE, false,
        false, "VM-wide memory attributes (KVM_SET_MEMORY_ATTRIBUTES on the VM, by guest-physical address): "
        + MODEL_ONLY);
  }

  @Override
  long kernelAddress(long offset) {
    return region.guestPhysical() + offset;
  }

  @Override
  String arguments(long offset, long length, boolean toShared) {
    return String.format("address=0x%x size=0x%x %s flags=0x0", kernelAddress(offset), length, attributes(toShared));
  }

  @Override
  void checkMore(long offset, long length, boolean toShared) {
    // V1: the VM-wide attribute does not look at the pages, so pins do not matter.
  }
}
