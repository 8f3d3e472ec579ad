package org.guestmem.dma.conformance;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.guestmem.conformance.DmaBackendContract;
import org.guestmem.conformance.DmaMappingListenerContract;
import org.guestmem.linux.AnonymousMemory;
import org.guestmem.linux.MemfdMemory;
import org.guestmem.region.BackingFile;
import org.guestmem.spi.DmaBackend;

/**
 * {@link DmaBackendContract} and {@link DmaMappingListenerContract} against one DMA back-end, with every buffer a
 * real anonymous {@code mmap} ({@link AnonymousMemory}) so that a real kernel can pin it, or, for a back-end that maps
 * files, a memfd ({@link MemfdMemory}) that the listener's regions name as their backing file. A test class is a
 * constructor that says how to open the back-end and how it behaves where back-ends differ:
 *
 * <pre>{@code
 * class Type1EmbeddedContractTest extends DmaContractSuite {
 *   Type1EmbeddedContractTest() {
 *     super(() -> new Type1Provider().open(Map.of("kernel", "embedded")), UnmapRules.TYPE1V2, true);
 *   }
 * }
 * }</pre>
 *
 * <p>Shared from linux-uapi's test-jar (next to {@link AnonymousMemory}) with both DMA back-ends' tests and the
 * real-kernel suites; its package is in no module, so that the test-jar does not split one.
 */
public abstract class DmaContractSuite implements DmaBackendContract, DmaMappingListenerContract {
  private final Supplier<DmaBackend> opener;
  private final UnmapRules unmapRules;
  private final boolean pinsOnMap;
  private final boolean fileBacked;
  /** The memfd of each buffer, by address, when the back-end maps files. */
  private final Map<Long, MemfdMemory> memfds = new HashMap<>();

  /**
   * The contracts against the back-end {@code opener} opens.
   *
   * @param opener opens a new, empty address space of the back-end under test on every call
   * @param unmapRules how that back-end's unmap treats cuts and empty ranges
   * @param pinsOnMap whether mapping pins memory at once (false for iommufd without an attached domain)
   */
  protected DmaContractSuite(Supplier<DmaBackend> opener, UnmapRules unmapRules, boolean pinsOnMap) {
    this(opener, unmapRules, pinsOnMap, false);
  }

  /**
   * As {@link #DmaContractSuite(Supplier, UnmapRules, boolean)}, with every buffer a memfd when {@code fileBacked}
   * (for a back-end opened to map files: the contracts then check it does).
   */
  protected DmaContractSuite(Supplier<DmaBackend> opener, UnmapRules unmapRules, boolean pinsOnMap,
      boolean fileBacked) {
    this.opener = opener;
    this.unmapRules = unmapRules;
    this.pinsOnMap = pinsOnMap;
    this.fileBacked = fileBacked;
  }

  @Override
  public final DmaBackend open() {
    return opener.get();
  }

  @Override
  public final UnmapRules unmapRules() {
    return unmapRules;
  }

  @Override
  public final long allocateBuffer(long bytes) {
    if (!fileBacked) {
      return AnonymousMemory.map(bytes);
    }
    MemfdMemory memfd = MemfdMemory.create("guestmem-contract", bytes);
    memfds.put(memfd.address(), memfd);
    return memfd.address();
  }

  @Override
  public final void freeBuffer(long vaddr, long bytes) {
    MemfdMemory memfd = memfds.remove(vaddr);
    if (memfd != null) {
      memfd.close();
    } else {
      AnonymousMemory.unmap(vaddr, bytes);
    }
  }

  @Override
  public final BackingFile backingFileOf(long vaddr) {
    MemfdMemory memfd = memfds.get(vaddr);
    return memfd == null ? null : new BackingFile(memfd.fd(), 0);
  }

  @Override
  public final boolean pinsOnMap() {
    return pinsOnMap;
  }
}
