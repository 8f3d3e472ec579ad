/**
 * The iommufd DMA back-end (provider {@code iommufd}): real ioctls on {@code /dev/iommu} through JNA (IOAS, optional
 * vfio cdev bind and attach, the VFIO-compat cut path), or the embedded model of iommufd's rules when the device
 * nodes are absent.
 */
module org.guestmem.dma.iommufd {
  requires org.guestmem.core;
  requires org.guestmem.dma.type1;
  requires com.sun.jna;

  exports org.guestmem.dma.iommufd;
  exports org.guestmem.dma.iommufd.linux;
  opens org.guestmem.dma.iommufd.linux to com.sun.jna;

  provides org.guestmem.spi.DmaBackendProvider with org.guestmem.dma.iommufd.IommufdProvider;
}
