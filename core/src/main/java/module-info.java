/**
 * guestmem core: the SPI ({@code org.guestmem.spi}), the attribute manager ({@code org.guestmem.region}),
 * configuration and provider discovery ({@code org.guestmem.config}), the JFR conversion event and the DMA mapping
 * listener ({@code org.guestmem.dma}).
 */
module org.guestmem.core {
  requires jdk.jfr;

  exports org.guestmem.spi;
  exports org.guestmem.region;
  exports org.guestmem.config;
  exports org.guestmem.jfr;
  exports org.guestmem.dma;

  uses org.guestmem.spi.StateStoreProvider;
  uses org.guestmem.spi.DmaBackendProvider;
}
