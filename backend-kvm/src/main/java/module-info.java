/**
 * The KVM memory-attribute back-ends: embedded models of the guest_memfd in-place conversion ioctl (provider
 * {@code guest-memfd}) and of the VM-wide {@code KVM_SET_MEMORY_ATTRIBUTES} (provider {@code vm-attributes}). Real KVM
 * is not available on the machines this project is built and tested on, so there is no kernel path.
 */
module org.guestmem.kvm {
  requires org.guestmem.core;

  exports org.guestmem.kvm;

  provides org.guestmem.spi.MemoryAttributeBackendProvider with org.guestmem.kvm.GuestMemfdProvider,
      org.guestmem.kvm.VmAttributesProvider;
}
