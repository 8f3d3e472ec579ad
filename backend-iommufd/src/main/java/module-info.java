/**
 * The iommufd DMA back-end (provider {@code iommufd}): real ioctls on {@code /dev/iommu} through the JNA bindings of
 * {@code org.guestmem.linux} (IOAS, optional vfio cdev bind and attach, the VFIO-compat cut path), or the embedded
 * model of iommufd's rules when the device nodes are absent.
 */
module org.guestmem.dma.iommufd {
  requires org.guestmem.core;
  requires org.guestmem.linux;
  requires com.sun.jna;

  exports org.guestmem.dma.iommufd;

  provides org.guestmem.spi.DmaBackendProvider with org.guestmem.dma.iommufd.IommufdProvider;
}
