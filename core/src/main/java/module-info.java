/**
 * guestmem core: the SPI ({@code org.guestmem.spi}), the attribute manager ({@code org.guestmem.region}),
 * configuration and provider discovery ({@code org.guestmem.config}), the JFR conversion and DMA call events
 * ({@code org.guestmem.jfr}), the DMA mapping listener and its auditor ({@code org.guestmem.dma}), the kit DMA
 * back-ends are built on (mapping table, ledger, kernel choice and option parsing; {@code org.guestmem.dma.backend}),
 * the named workloads ({@code org.guestmem.workload}) and the QEMU trace reader and writer
 * ({@code org.guestmem.trace}).
 */
module org.guestmem.core {
  requires jdk.jfr;
  requires org.jctools.core;

  exports org.guestmem.spi;
  exports org.guestmem.region;
  exports org.guestmem.config;
  exports org.guestmem.jfr;
  exports org.guestmem.dma;
  exports org.guestmem.dma.backend;
  exports org.guestmem.workload;
  exports org.guestmem.trace;

  uses org.guestmem.spi.StateStoreProvider;
  uses org.guestmem.spi.DmaBackendProvider;
  uses org.guestmem.spi.MemoryAttributeBackendProvider;
}
