/**
 * The VFIO type1 DMA back-end (provider {@code vfio-type1}): real ioctls on {@code /dev/vfio/vfio} through the JNA
 * bindings of {@code org.guestmem.linux}, or the embedded model of the type1v2 rules when the device nodes are absent.
 */
module org.guestmem.dma.type1 {
  requires org.guestmem.core;
  requires org.guestmem.linux;
  requires com.sun.jna;

  exports org.guestmem.dma.type1;

  provides org.guestmem.spi.DmaBackendProvider with org.guestmem.dma.type1.Type1Provider;
}
