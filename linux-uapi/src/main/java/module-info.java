/**
 * The Linux uAPI through JNA, shared by the DMA back-ends so that neither needs the other: libc and the ioctl
 * plumbing with anonymous memory ({@code org.guestmem.linux}), and one {@code Structure} per kernel struct with the
 * header's constants, in a package per header ({@code org.guestmem.linux.vfio} for {@code linux/vfio.h},
 * {@code org.guestmem.linux.iommufd} for {@code linux/iommufd.h}).
 */
module org.guestmem.linux {
  requires transitive org.guestmem.core;
  requires transitive com.sun.jna;

  exports org.guestmem.linux;
  exports org.guestmem.linux.vfio;
  exports org.guestmem.linux.iommufd;
  opens org.guestmem.linux to com.sun.jna;
  opens org.guestmem.linux.vfio to com.sun.jna;
  opens org.guestmem.linux.iommufd to com.sun.jna;
}
