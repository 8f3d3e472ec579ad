package org.guestmem.config;

import java.util.List;
import java.util.Set;
import org.guestmem.dma.backend.DmaKernel;
import org.guestmem.dma.backend.DmaOptions;
import org.guestmem.dma.backend.LedgeredDmaBackend;
import org.guestmem.dma.backend.OptionsDmaBackendProvider;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.IovaRange;

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
    return new LedgerOnly(options + " " + choice.why());
  }

  private static final class LedgerOnly extends LedgeredDmaBackend {
    LedgerOnly(String why) {
      super(NAME, DmaKernel.none("embedded ledger only"), why, 1, "address space", "mappings");
    }

    @Override
    public DmaCapabilities capabilities() {
      return new DmaCapabilities(0x1000, List.of(new IovaRange(0, -1L)), Long.MAX_VALUE, "", 1, false,
          "the test back-end cannot cut", false, describe());
    }

    @Override
    public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
      checkOpen("MAP");
      ledger.add(new DmaMapping(iova, length, vaddr, readable, writable));
    }

    @Override
    public long unmap(long iova, long length) {
      checkOpen("UNMAP");
      return ledger.removeInside(iova, iova + length - 1);
    }

    @Override
    public long cut(long iova, long length) {
      throw new UnsupportedOperationException(capabilities().cutLimitation());
    }

    @Override
    public long unmapAll() {
      checkOpen("UNMAP_ALL");
      return ledger.clear();
    }

    @Override
    protected long pinnedByLedger() {
      return 0;
    }
  }
}
