package org.guestmem.dma.iommufd;

import static org.guestmem.linux.iommufd.Iommufd.IOMMU_IOAS_MAP_FIXED_IOVA;
import static org.guestmem.linux.iommufd.Iommufd.IOMMU_IOAS_MAP_READABLE;
import static org.guestmem.linux.iommufd.Iommufd.IOMMU_IOAS_MAP_WRITEABLE;
import static org.guestmem.spi.IovaRange.lastOf;

import org.guestmem.dma.backend.LedgeredDmaBackend;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;

/**
 * An iommufd IOAS as a {@link DmaBackend}, on the real kernel or the embedded model. {@link #map} is
 * {@code IOMMU_IOAS_MAP} at a fixed IOVA, {@link #mapFile} {@code IOMMU_IOAS_MAP_FILE} (only when opened with
 * {@code map-file=true}; the ledger records a file area with its file offset as the address), {@link #unmap}
 * {@code IOMMU_IOAS_UNMAP}, {@link #cut} the compat {@code VFIO_IOMMU_UNMAP_DMA} on the same descriptor (only when
 * opened with {@code cut=true}).
 *
 * <p>Keeps a ledger of its areas that mirrors the kernel's rules where a call fails part-way: a native unmap that
 * fails with ENOENT has removed the whole areas its ascending walk met before the cut one (the kernel does not write
 * back the length then), and a cut that fails has made the cuts before the failing one.
 */
public final class IommufdBackend extends LedgeredDmaBackend {
  /** Kernel memory per area: {@code iopt_area} + {@code iopt_pages}, two kmalloc-cg-192 (docs/linux-uapi-facts.md, 3). */
  public static final long KERNEL_BYTES_PER_ENTRY = 384;
  static final long PAGE_SIZE = 4096;
  static final String NO_CUT = "iommufd's IOMMU_IOAS_UNMAP never cuts an area (a range that cuts one fails with "
      + "ENOENT) and mainline has no split; open the iommufd back-end with cut=true, which sets IOMMU_OPTION "
      + "HUGE_PAGES=0 on the IOAS before the first map and cuts through the VFIO-compat VFIO_IOMMU_UNMAP_DMA";

  static final String NO_MAP_FILE = "iommufd maps by file (IOMMU_IOAS_MAP_FILE, Linux 6.13 and later) only when "
      + "opened with map-file=true";

  private final IommufdContext context;
  private final boolean mapFiles;

  IommufdBackend(String name, IommufdContext context, String why, boolean mapFiles) {
    super(name, context, why, KERNEL_BYTES_PER_ENTRY, "IOAS", "areas");
    this.context = context;
    this.mapFiles = mapFiles;
  }

  @Override
  public DmaCapabilities capabilities() {
    checkOpen("IOMMU_IOAS_IOVA_RANGES");
    IommufdContext.Ranges r = context.iovaRanges();
    boolean cuts = context.cutsEnabled();
    return new DmaCapabilities(Math.max(1, r.alignment()), r.ranges(), Long.MAX_VALUE, "",
        KERNEL_BYTES_PER_ENTRY, cuts, cuts ? "" : NO_CUT, context.realKernel(), describe());
  }

  @Override
  public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    checkOpen("IOMMU_IOAS_MAP");
    context.map(vaddr, length, iova, flags(readable, writable));
    ledger.add(iova, length, vaddr, readable, writable);
  }

  @Override
  public String mapFileLimitation() {
    return mapFiles ? "" : NO_MAP_FILE;
  }

  @Override
  public void mapFile(long iova, long length, int fd, long fileOffset, boolean readable, boolean writable) {
    if (!mapFiles) {
      throw new UnsupportedOperationException(name() + ": " + NO_MAP_FILE);
    }
    checkOpen("IOMMU_IOAS_MAP_FILE");
    context.mapFile(fd, fileOffset, length, iova, flags(readable, writable));
    ledger.add(iova, length, fileOffset, readable, writable);
  }

  private static int flags(boolean readable, boolean writable) {
    return IOMMU_IOAS_MAP_FIXED_IOVA | (readable ? IOMMU_IOAS_MAP_READABLE : 0)
        | (writable ? IOMMU_IOAS_MAP_WRITEABLE : 0);
  }

  @Override
  public long unmap(long iova, long length) {
    checkOpen("IOMMU_IOAS_UNMAP");
    long removed;
    try {
      removed = context.unmap(iova, length);
    } catch (DmaException e) {
      if (e.errno() == Errno.ENOENT.number() && length != 0) {
        ledger.removeInsideUntilCut(iova, lastOf(iova, length));
      }
      throw e;
    }
    long expected = iova == 0 && length == -1L ? ledger.clear() : ledger.removeInside(iova, lastOf(iova, length));
    return crossChecked("IOMMU_IOAS_UNMAP", iova, "length", length, removed, expected);
  }

  @Override
  public long cut(long iova, long length) {
    checkOpen("VFIO_IOMMU_UNMAP_DMA");
    if (!context.cutsEnabled()) {
      throw new UnsupportedOperationException(name() + " cannot cut: " + NO_CUT);
    }
    long removed;
    try {
      removed = context.compatUnmap(iova, length, 0);
    } catch (DmaException e) {
      if (length != 0 && e.errno() == Errno.EINVAL.number()) {
        // iopt_cut_iova cuts at the last byte first, then before the first; a misaligned point stops it there.
        if (ledgerCut(lastOf(iova, length)) && iova != 0) {
          ledgerCut(iova - 1);
        }
      }
      throw e;
    }
    long last = lastOf(iova, length);
    ledger.splitAfter(last);
    if (iova != 0) {
      ledger.splitAfter(iova - 1);
    }
    return crossChecked("VFIO_IOMMU_UNMAP_DMA", iova, "length", length, removed, ledger.removeInside(iova, last));
  }

  private boolean ledgerCut(long lastOfFirstPiece) {
    if (!ledger.entryContinuesAfter(lastOfFirstPiece)) {
      return true;
    }
    if ((lastOfFirstPiece + 1) % PAGE_SIZE != 0) {
      return false;
    }
    ledger.splitAfter(lastOfFirstPiece);
    return true;
  }

  @Override
  public long unmapAll() {
    checkOpen("IOMMU_IOAS_UNMAP");
    long removed = context.unmap(0, -1L);
    ledger.clear();
    return removed;
  }

  /** Real kernel: pinning is lazy, so only a context with a device (a domain) pins, each area's pages once. */
  @Override
  protected long pinnedByLedger() {
    return context.domainAttached() ? ledger.bytes() : 0;
  }
}
