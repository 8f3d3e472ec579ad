package org.guestmem.config;

import java.util.Set;
import org.guestmem.dma.backend.DmaOptions;
import org.guestmem.dma.backend.LedgerOnlyBackend;
import org.guestmem.dma.backend.OptionsDmaBackendProvider;
import org.guestmem.spi.DmaBackend;

/**
 * A DMA provider registered only in core's test resources, to test that configuration opens the back-end it names
 * with its options: the back-end's description lists the options it was opened with. Its address space keeps
 * mappings in the ledger and enforces no kernel rule; it cannot cut.
 */
public final class TestDmaProvider extends OptionsDmaBackendProvider {
  static final String NAME = "test-dma";

  public TestDmaProvider() {
    super(NAME, Set.of("flavour"));
  }

  @Override
  protected DmaBackend open(DmaOptions options) {
    DmaOptions.KernelChoice choice = options.chooseKernel("a test has no real kernel", "no real kernel");
    return new LedgerOnlyBackend(NAME, options + " " + choice.why());
  }
}
