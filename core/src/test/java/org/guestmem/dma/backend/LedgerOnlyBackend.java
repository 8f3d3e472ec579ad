package org.guestmem.dma.backend;

import java.util.List;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.DmaMapping;
import org.guestmem.spi.Errno;
import org.guestmem.spi.IovaRange;

/**
 * A test back-end with no kernel under it: the ledger is the address space. It enforces no kernel rule but an
 * optional entry limit (a map past it is ENOSPC, as type1's), pins nothing and cannot cut.
 */
public final class LedgerOnlyBackend extends LedgeredDmaBackend {
  private final long limit;

  /**
   * A back-end without an entry limit.
   *
   * @param name the back-end's name
   * @param why what its description says it was opened with
   */
  public LedgerOnlyBackend(String name, String why) {
    this(name, why, Long.MAX_VALUE);
  }

  /**
   * A back-end that refuses a map past {@code limit} entries.
   *
   * @param name the back-end's name
   * @param why what its description says it was opened with
   * @param limit the most entries it holds
   */
  public LedgerOnlyBackend(String name, String why, long limit) {
    super(name, DmaKernel.none("embedded ledger only"), why, 1, "address space", "mappings");
    this.limit = limit;
  }

  @Override
  public DmaCapabilities capabilities() {
    boolean limited = limit != Long.MAX_VALUE;
    return new DmaCapabilities(0x1000, List.of(new IovaRange(0, -1L)),
        limited ? limit - ledger.entries() : Long.MAX_VALUE, limited ? "the test's limit" : "", 1, false,
        "the test back-end cannot cut", false, describe());
  }

  @Override
  public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    checkOpen("MAP");
    if (ledger.entries() >= limit) {
      throw new DmaException("MAP", Errno.ENOSPC, "", "entry limit " + limit);
    }
    ledger.add(new DmaMapping(iova, length, vaddr, readable, writable));
  }

  @Override
  public long unmap(long iova, long length) {
    checkOpen("UNMAP");
    return ledger.removeInside(iova, IovaRange.lastOf(iova, length));
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
