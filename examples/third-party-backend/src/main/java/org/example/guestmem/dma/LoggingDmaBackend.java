package org.example.guestmem.dma;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.guestmem.dma.backend.DmaKernel;
import org.guestmem.dma.backend.LedgeredDmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.guestmem.spi.IovaRange;

/**
 * A DMA back-end with no kernel: an in-memory IOMMU address space that follows VFIO type1v2's rules, can also cut
 * (as iommufd's compat path does), and writes one line per call with its outcome. Useful to watch what the mapping
 * listener asks of an IOMMU, and as an example of a back-end built on guestmem's kit: {@link LedgeredDmaBackend}
 * keeps the mappings (its ledger, a {@link org.guestmem.dma.backend.MappingTable} of runs, is the whole state here,
 * since {@link DmaKernel#none} lists nothing, and answers {@code visitMappingRuns}, entries and pinned bytes from it)
 * and {@link org.guestmem.dma.backend.OptionsDmaBackendProvider} parses the provider's options.
 *
 * <p>Rules, as the kernel's: a map must be readable or writable, non-empty, 4 KiB-aligned in IOVA, length and
 * address, must not wrap (EOVERFLOW), must lie in one usable IOVA range (the x86 interrupt window
 * {@code [0xfee00000, 0xfeefffff]} is reserved) and must not overlap (EEXIST); past the entry limit it fails with
 * ENOSPC. An unmap removes the mappings wholly inside its range and never cuts one: a range whose end falls inside
 * a mapping fails with EINVAL and removes nothing, and a range without mappings returns 0. A cut splits the mappings
 * straddling its ends first. Every mapping pins its bytes while it exists. Nothing is changed by a call that fails.
 *
 * <p>Not thread-safe: callers serialize calls, as the mapping listener does.
 */
public final class LoggingDmaBackend extends LedgeredDmaBackend {
  private static final long PAGE = 4096;
  /** 4 KiB, 2 MiB and 1 GiB pages, as an x86 IOMMU reports them. */
  private static final long PAGE_SIZES = PAGE | (2L << 20) | (1L << 30);
  private static final List<IovaRange> IOVA_RANGES =
      List.of(new IovaRange(0, 0xfedf_ffffL), new IovaRange(0xfef0_0000L, (1L << 48) - 1));

  private final long entryLimit;
  private final long bytesPerEntry;
  private final Consumer<String> log;

  /**
   * An empty address space.
   *
   * @param why why this path was taken, for the description (e.g. {@code kernel=embedded})
   * @param entryLimit how many mappings fit before a map fails with ENOSPC, at least 1
   * @param bytesPerEntry what {@link #kernelBytesEstimate()} counts per mapping, at least 1
   * @param log receives one line per call
   * @throws IllegalArgumentException if a count is below 1
   */
  public LoggingDmaBackend(String why, long entryLimit, long bytesPerEntry, Consumer<String> log) {
    super(LoggingDmaProvider.NAME, DmaKernel.none("embedded in-memory address space, no kernel"), why,
        bytesPerEntry, "address space", "mappings");
    if (entryLimit < 1 || bytesPerEntry < 1) {
      throw new IllegalArgumentException(String.format("entry limit %d and bytes per entry %d must be at least 1",
          entryLimit, bytesPerEntry));
    }
    this.entryLimit = entryLimit;
    this.bytesPerEntry = bytesPerEntry;
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public DmaCapabilities capabilities() {
    return new DmaCapabilities(PAGE_SIZES, IOVA_RANGES, entryLimit - ledger.entries(),
        "the " + LoggingDmaProvider.NAME + " option " + LoggingDmaProvider.ENTRY_LIMIT, bytesPerEntry, true, "",
        false, describe());
  }

  @Override
  public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    String args = String.format("iova=0x%x length=0x%x vaddr=0x%x %s%s", iova, length, vaddr,
        readable ? "r" : "-", writable ? "w" : "-");
    checkOpen("MAP");
    if (!readable && !writable) {
      throw refused("MAP", Errno.EINVAL, args, "neither readable nor writable");
    }
    checkRange("MAP", iova, length, vaddr, args);
    if (!usable(iova, length)) {
      throw refused("MAP", Errno.EINVAL, args, "outside the usable IOVA ranges " + IOVA_RANGES);
    }
    long last = iova + length - 1;
    if (ledger.overlaps(iova, last)) {
      throw refused("MAP", Errno.EEXIST, args, "overlaps " + ledger.firstEntryIn(iova, last));
    }
    if (ledger.entries() >= entryLimit) {
      throw refused("MAP", Errno.ENOSPC, args, "all " + entryLimit + " entries are in use");
    }
    ledger.add(iova, length, vaddr, readable, writable);
    log.accept("MAP " + args + " -> ok");
  }

  @Override
  public long unmap(long iova, long length) {
    String args = checkedRange("UNMAP", iova, length);
    long last = iova + length - 1;
    boolean headCut = startCuts(iova);
    if (headCut || ledger.entryContinuesAfter(last)) {
      throw refused("UNMAP", Errno.EINVAL, args, "the range would bisect " + ledger.entryAt(headCut ? iova : last));
    }
    long removed = ledger.removeInside(iova, last);
    log.accept(String.format("UNMAP %s -> 0x%x bytes", args, removed));
    return removed;
  }

  @Override
  public long cut(long iova, long length) {
    String args = checkedRange("CUT", iova, length);
    long last = iova + length - 1;
    // Cutting both ends out of one mapping leaves two pieces where there was one: one entry more.
    if (ledger.entries() >= entryLimit && startCuts(iova) && ledger.entryContinuesAfter(last)
        && ledger.entryAt(iova).equals(ledger.entryAt(last))) {
      throw refused("CUT", Errno.ENOSPC, args, "splitting " + ledger.entryAt(iova) + " needs an entry, all "
          + entryLimit + " are in use");
    }
    if (iova != 0) {
      ledger.splitAfter(iova - 1);
    }
    ledger.splitAfter(last);
    long removed = ledger.removeInside(iova, last);
    log.accept(String.format("CUT %s -> 0x%x bytes", args, removed));
    return removed;
  }

  @Override
  public long unmapAll() {
    checkOpen("UNMAP_ALL");
    long removed = ledger.clear();
    log.accept(String.format("UNMAP_ALL -> 0x%x bytes", removed));
    return removed;
  }

  @Override
  protected long pinnedByLedger() {
    return ledger.bytes();
  }

  /** The checks unmap and cut share: open, then {@link #checkRange}; returns the arguments for messages. */
  private String checkedRange(String op, long iova, long length) {
    String args = String.format("iova=0x%x length=0x%x", iova, length);
    checkOpen(op);
    checkRange(op, iova, length, 0, args);
    return args;
  }

  /** Zero length, misalignment and wrapping, in the order the kernel checks them. */
  private void checkRange(String op, long iova, long length, long vaddr, String args) {
    if (length == 0) {
      throw refused(op, Errno.EINVAL, args, "length is 0");
    }
    if (((iova | length | vaddr) & (PAGE - 1)) != 0) {
      throw refused(op, Errno.EINVAL, args, "not aligned to the 4 KiB IOMMU page");
    }
    if (Long.compareUnsigned(iova + length - 1, iova) < 0) {
      throw refused(op, Errno.EOVERFLOW, args, "the range wraps the 64-bit IOVA space");
    }
  }

  /** Whether a range starting at {@code iova} begins inside a mapping that starts before it. */
  private boolean startCuts(long iova) {
    return iova != 0 && ledger.entryContinuesAfter(iova - 1);
  }

  private static boolean usable(long iova, long length) {
    for (IovaRange r : IOVA_RANGES) {
      if (r.contains(iova, length)) {
        return true;
      }
    }
    return false;
  }

  private DmaException refused(String op, Errno errno, String args, String reason) {
    DmaException e = new DmaException(op, errno, args, reason);
    log.accept(op + " " + args + " -> " + errno + ": " + reason);
    return e;
  }
}
