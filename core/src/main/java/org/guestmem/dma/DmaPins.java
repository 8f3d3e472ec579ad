package org.guestmem.dma;

import java.util.Objects;
import org.guestmem.region.RegionLayout;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.PinnedRanges;

/**
 * The host pages a {@link DmaBackend} pins, as {@link PinnedRanges} for a memory-attribute back-end: every page a
 * mapping's vaddr range covers. That is what type1 pins at map time; iommufd pins lazily, when a device's domain
 * needs the pages, so for it this is the upper bound (the safe side: a model that sees more pins than the kernel
 * refuses more, never less). Walks the back-end's runs of uniform mappings on every call, O(runs): meant for the
 * embedded models and tests, where the pins must agree with the DMA model's.
 *
 * <p><b>One address space out.</b> {@link PinnedRanges} is asked and answers in host addresses, whatever the
 * memory-attribute back-end converts by (the guest_memfd model turns the answer into a region offset and that into
 * its file offset for {@code error_offset}). A mapping made by file ({@link DmaBackend#mapFile}, iommufd's
 * {@code IOMMU_IOAS_MAP_FILE}) records its <em>file offset</em> in the address column, so
 * {@link #of(DmaBackend, RegionLayout)}, given the region, reads the column twice: as host addresses, and, when the
 * region names a {@linkplain RegionLayout#backingFile() backing file} and the back-end maps files (the condition
 * under which {@link DmaMappingListener} maps by file), as offsets in that file, translated to the region's host
 * addresses ({@code hostAddress + fileOffset - backingFile.offset}). With in-place conversion the backing file is the
 * guest_memfd itself and {@code backingFile.offset} the memslot's {@code guest_memfd_offset}, so a pinned page's
 * {@code error_offset} is the {@code start} of the {@code IOMMU_IOAS_MAP_FILE} that pins it.
 *
 * <p>Runs carry no file identity (docs/architecture.md, "File-backed DMA mappings"), so a file area of another file
 * whose offsets overlap this region's counts as a pin of this region: the safe side again, but regions that share
 * one address space and are mapped by file should lie at distinct file offsets (as QEMU's one RAM block split
 * around the PCI hole does), or a conversion to private may be refused for another region's mapping.
 */
public final class DmaPins implements PinnedRanges {
  private final DmaBackend backend;
  /** The region's host address of its offset 0 (with {@link #fileBase}), or unused when no file is read. */
  private final long hostBase;
  private final long regionSize;
  /** The file offset of region offset 0, or -1: the column is read as host addresses only. */
  private final long fileBase;

  private DmaPins(DmaBackend backend, long hostBase, long regionSize, long fileBase) {
    this.backend = backend;
    this.hostBase = hostBase;
    this.regionSize = regionSize;
    this.fileBase = fileBase;
  }

  /**
   * The pins of {@code backend}'s mappings read as host addresses only: for regions mapped by address (no backing
   * file, or a back-end that does not map files). For a region that may be mapped by file use
   * {@link #of(DmaBackend, RegionLayout)}.
   *
   * @param backend the back-end, not null
   * @return the pins of {@code backend}'s mappings, in host addresses
   */
  public static DmaPins of(DmaBackend backend) {
    return new DmaPins(Objects.requireNonNull(backend, "backend"), 0, 0, -1);
  }

  /**
   * The pins of {@code backend}'s mappings as seen by the region of {@code layout}, in host addresses: address
   * areas as they are, and, when the region names a backing file and the back-end maps files
   * ({@link DmaBackend#mapFileLimitation()} empty), file areas of that file translated to the region's host
   * addresses (see the class comment).
   *
   * @param backend the back-end, not null
   * @param layout the region the pins are asked for; its host address is the one the memory-attribute back-end's
   *     region names
   * @return the pins of {@code backend}'s mappings, in host addresses
   */
  public static DmaPins of(DmaBackend backend, RegionLayout layout) {
    Objects.requireNonNull(backend, "backend");
    long fileBase = DmaMappingListener.mapsByFile(layout, backend) ? layout.backingFile().offset() : -1;
    return new DmaPins(backend, layout.hostAddress(), layout.size(), fileBase);
  }

  @Override
  public long firstPinned(long vaddr, long length) {
    long end = vaddr + length;
    // The part of the range inside the region, in file offsets; empty when no file is read.
    long fileStart = -1;
    long fileEnd = -1;
    if (fileBase >= 0) {
      long from = Math.max(vaddr, hostBase);
      long to = Math.min(end, hostBase + regionSize);
      if (from < to) {
        fileStart = fileBase + (from - hostBase);
        fileEnd = fileBase + (to - hostBase);
      }
    }
    long fs = fileStart;
    long fe = fileEnd;
    long[] first = {-1};
    synchronized (backend) {
      backend.visitMappingRuns(run -> {
        long s = run.vaddr();
        long e = run.vaddr() + run.bytes();
        if (s < end && e > vaddr) {
          first[0] = lowest(first[0], Math.max(s, vaddr));
        }
        if (fs < fe && s < fe && e > fs) {
          first[0] = lowest(first[0], hostBase + (Math.max(s, fs) - fileBase));
        }
      });
    }
    return first[0];
  }

  private static long lowest(long found, long at) {
    return found < 0 ? at : Math.min(found, at);
  }
}
