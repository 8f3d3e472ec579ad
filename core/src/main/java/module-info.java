/**
 * guestmem core: the SPI ({@code org.guestmem.spi}), the attribute manager ({@code org.guestmem.region}),
 * configuration and provider discovery ({@code org.guestmem.config}) and the JFR conversion event.
 */
module org.guestmem.core {
  requires jdk.jfr;
  requires org.jctools.core;

  exports org.guestmem.spi;
  exports org.guestmem.region;
  exports org.guestmem.config;
  exports org.guestmem.jfr;

  uses org.guestmem.spi.StateStoreProvider;
  uses org.guestmem.spi.DmaBackendProvider;
}
