/**
 * guestmem core: the SPI ({@code org.guestmem.spi}), the attribute manager ({@code org.guestmem.region}),
 * configuration and provider discovery ({@code org.guestmem.config}), the JFR conversion event, the DMA mapping
 * listener and what the DMA back-ends share (ledger, option parsing; {@code org.guestmem.dma}), the named workloads
 * ({@code org.guestmem.workload}) and the QEMU trace reader and writer ({@code org.guestmem.trace}).
 */
module org.guestmem.core {
  requires jdk.jfr;
  requires org.jctools.core;

  exports org.guestmem.spi;
  exports org.guestmem.region;
  exports org.guestmem.config;
  exports org.guestmem.jfr;
  exports org.guestmem.dma;
  exports org.guestmem.workload;
  exports org.guestmem.trace;

  uses org.guestmem.spi.StateStoreProvider;
  uses org.guestmem.spi.DmaBackendProvider;
  uses org.guestmem.spi.MemoryAttributeBackendProvider;
}
