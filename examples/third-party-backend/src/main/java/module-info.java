/**
 * Example third-party back-ends for guestmem: the state store {@code treemap} and the DMA back-end {@code logging}.
 * On the module path {@code ServiceLoader} finds them through the {@code provides} clauses; on the class path through
 * {@code META-INF/services}. Both are declared, so that either works.
 */
module org.example.guestmem {
  requires org.guestmem.core;

  exports org.example.guestmem.store;
  exports org.example.guestmem.dma;

  provides org.guestmem.spi.StateStoreProvider with org.example.guestmem.store.TreeMapStoreProvider;
  provides org.guestmem.spi.DmaBackendProvider with org.example.guestmem.dma.LoggingDmaProvider;
}
