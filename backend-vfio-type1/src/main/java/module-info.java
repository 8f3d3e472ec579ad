/**
 * The VFIO type1 DMA back-end (provider {@code vfio-type1}): real ioctls on {@code /dev/vfio/vfio} through JNA, or
 * the embedded model of the type1v2 rules when the device nodes are absent. Its JNA bindings
 * ({@code org.guestmem.dma.type1.linux}) are exported for the iommufd back-end's VFIO-compat and cdev paths.
 */
module org.guestmem.dma.type1 {
  requires org.guestmem.core;
  requires com.sun.jna;

  exports org.guestmem.dma.type1;
  exports org.guestmem.dma.type1.linux;
  opens org.guestmem.dma.type1.linux to com.sun.jna;

  provides org.guestmem.spi.DmaBackendProvider with org.guestmem.dma.type1.Type1Provider;
}
