package org.guestmem.dma.type1;

import static org.guestmem.linux.vfio.Vfio.VFIO_DMA_MAP_FLAG_READ;
import static org.guestmem.linux.vfio.Vfio.VFIO_DMA_MAP_FLAG_VADDR;
import static org.guestmem.linux.vfio.Vfio.VFIO_DMA_MAP_FLAG_WRITE;
import static org.guestmem.linux.vfio.Vfio.VFIO_DMA_UNMAP_FLAG_ALL;
import static org.guestmem.spi.IovaRange.lastOf;
import static org.guestmem.spi.IovaRange.wraps;

import java.util.List;
import org.guestmem.dma.backend.MappingTable;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;
import org.guestmem.spi.IovaRange;
import org.guestmem.spi.MappingRunVisitor;

/**
 * The embedded model of a VFIO type1v2 container: the checks of {@code vfio_dma_do_map} and
 * {@code vfio_dma_do_unmap} (drivers/vfio/vfio_iommu_type1.c) in the kernel's order, with the kernel's errno values
 * (docs/linux-uapi-facts.md 1.4 and 2a, 2b, 2e):
 *
 * <ul>
 *   <li>map: unknown flag, no READ/WRITE, {@code VADDR} (not modelled), zero size, {@code size|iova|vaddr} not a
 *       multiple of the smallest page size: EINVAL; a wrapping range: EOVERFLOW (the newest kernels; older ones say
 *       EINVAL); overlap with any mapping: EEXIST; no entry left: ENOSPC; outside the IOVA ranges: EINVAL; past the
 *       locked-memory limit: ENOMEM;
 *   <li>unmap: misaligned or zero: EINVAL; {@code ALL} with a non-zero iova or size: EINVAL; wrapping: EOVERFLOW; a
 *       range whose first or last byte falls inside a mapping that does not start or end there: EINVAL with
 *       <em>nothing</em> removed (the bisect test runs before any removal); else every mapping wholly inside is
 *       removed and the bytes removed are returned (0 for an empty range);
 *   <li>the entry limit is copied when the container is set up ({@code VFIO_SET_IOMMU}): this model's constructor;
 *       each mapping takes one entry, an unmap gives it back;
 *   <li>pinning happens at map time, each mapping on its own (mapping the same memory twice counts twice) against the
 *       locked-memory limit unless the process has {@code CAP_IPC_LOCK}.
 * </ul>
 *
 * <p>Not modelled: the pages themselves (a vaddr is not checked for being mapped user memory, so EFAULT never
 * happens), dirty tracking, {@code VFIO_DMA_MAP_FLAG_VADDR} updates (EINVAL here), mdev pinning.
 */
public final class Type1KernelModel implements Type1Container {
  /** The kernel's default {@code vfio_iommu_type1.dma_entry_limit}: U16_MAX. */
  public static final long DEFAULT_DMA_ENTRY_LIMIT = 65_535;
  /** x86_64 IOMMU page sizes as VT-d reports them: 4 KiB, 2 MiB, 1 GiB. */
  public static final long DEFAULT_PGSIZES = 0x1000L | 0x20_0000L | 0x4000_0000L;
  /**
   * The IOVA ranges type1 reports on x86_64 with a 48-bit VT-d domain: the aperture minus the interrupt (MSI) window
   * {@code [0xfee00000, 0xfeefffff]}.
   */
  public static final List<IovaRange> DEFAULT_IOVA_RANGES =
      List.of(new IovaRange(0, 0xfedf_ffffL), new IovaRange(0xfef0_0000L, (1L << 48) - 1));

  private final long pgsizes;
  private final long pageMask;
  private final List<IovaRange> ranges;
  private final long memlockLimit;
  private final boolean lockCap;
  private final MappingTable table = new MappingTable();
  private long dmaAvail;
  private long lockedBytes;
  private boolean closed;

  /**
   * A container set up with {@code VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)} while the module parameter was
   * {@code dmaEntryLimit}.
   *
   * @param dmaEntryLimit {@code vfio_iommu_type1.dma_entry_limit} at set-up (an unsigned 32-bit value)
   * @param memlockLimit RLIMIT_MEMLOCK in bytes ({@link Long#MAX_VALUE}: unlimited)
   * @param lockCap whether the process has {@code CAP_IPC_LOCK} (pins are counted, the limit ignored)
   * @param pgsizes the IOMMU page-size bitmap
   * @param ranges the usable IOVA ranges
   */
  public Type1KernelModel(long dmaEntryLimit, long memlockLimit, boolean lockCap, long pgsizes,
      List<IovaRange> ranges) {
    if (dmaEntryLimit < 0 || dmaEntryLimit > 0xffff_ffffL) {
      throw new IllegalArgumentException(
          "dma_entry_limit " + dmaEntryLimit + " must be an unsigned 32-bit value (0 to 4294967295)");
    }
    if (memlockLimit < 0) {
      throw new IllegalArgumentException("memlock limit " + memlockLimit + " must not be negative");
    }
    if (pgsizes == 0) {
      throw new IllegalArgumentException("page-size bitmap must not be empty");
    }
    this.dmaAvail = dmaEntryLimit;
    this.memlockLimit = memlockLimit;
    this.lockCap = lockCap;
    this.pgsizes = pgsizes;
    this.pageMask = Long.lowestOneBit(pgsizes) - 1;
    this.ranges = List.copyOf(ranges);
  }

  @Override
  public Info info() {
    checkOpen("VFIO_IOMMU_GET_INFO");
    return new Info(pgsizes, ranges, dmaAvail);
  }

  @Override
  public void mapDma(long vaddr, long iova, long size, int flags) {
    String ioctl = "VFIO_IOMMU_MAP_DMA";
    checkOpen(ioctl);
    int known = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE | VFIO_DMA_MAP_FLAG_VADDR;
    if ((flags & ~known) != 0) {
      throw mapRefused(Errno.EINVAL, vaddr, iova, size, flags, "unknown flags");
    }
    if ((flags & VFIO_DMA_MAP_FLAG_VADDR) != 0) {
      throw mapRefused(Errno.EINVAL, vaddr, iova, size, flags, "VFIO_DMA_MAP_FLAG_VADDR is not modelled");
    }
    if ((flags & (VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE)) == 0) {
      throw mapRefused(Errno.EINVAL, vaddr, iova, size, flags, "neither READ nor WRITE requested");
    }
    if (size == 0) {
      throw mapRefused(Errno.EINVAL, vaddr, iova, size, flags, "size is 0");
    }
    if (((size | iova | vaddr) & pageMask) != 0) {
      throw mapRefused(Errno.EINVAL, vaddr, iova, size, flags,
          String.format("size, iova and vaddr must be multiples of the IOMMU page size 0x%x", pageMask + 1));
    }
    if (wraps(iova, size) || wraps(vaddr, size)) {
      throw mapRefused(Errno.EOVERFLOW, vaddr, iova, size, flags,
          "the range wraps the 64-bit space (EOVERFLOW as Linux 7.2 answers; 6.12 answered EINVAL)");
    }
    long last = lastOf(iova, size);
    if (table.overlaps(iova, last)) {
      throw mapRefused(Errno.EEXIST, vaddr, iova, size, flags,
          "overlaps the existing mapping " + table.firstEntryIn(iova, last));
    }
    if (dmaAvail == 0) {
      throw mapRefused(Errno.ENOSPC, vaddr, iova, size, flags,
          "no DMA entries left: raise vfio_iommu_type1.dma_entry_limit (read when the container is set up)");
    }
    if (!inRanges(iova, size)) {
      throw mapRefused(Errno.EINVAL, vaddr, iova, size, flags,
          "the range is not inside one usable IOVA range " + ranges);
    }
    if (!lockCap && Long.compareUnsigned(lockedBytes + size, memlockLimit) > 0) {
      throw mapRefused(Errno.ENOMEM, vaddr, iova, size, flags, String.format(
          "vfio_pin_pages_remote: RLIMIT_MEMLOCK (%d) exceeded: %d bytes locked", memlockLimit, lockedBytes));
    }
    table.add(iova, size, vaddr, (flags & VFIO_DMA_MAP_FLAG_READ) != 0, (flags & VFIO_DMA_MAP_FLAG_WRITE) != 0);
    dmaAvail--;
    lockedBytes += size;
  }

  /** The arguments are formatted only here, when a call fails: a successful map allocates nothing. */
  private static DmaException mapRefused(Errno errno, long vaddr, long iova, long size, int flags, String reason) {
    return new DmaException("VFIO_IOMMU_MAP_DMA", errno,
        String.format("vaddr=0x%x iova=0x%x size=0x%x flags=0x%x", vaddr, iova, size, flags), reason);
  }

  private static DmaException unmapRefused(Errno errno, long iova, long size, int flags, String reason) {
    return new DmaException("VFIO_IOMMU_UNMAP_DMA", errno,
        String.format("iova=0x%x size=0x%x flags=0x%x", iova, size, flags), reason);
  }

  @Override
  public long unmapDma(long iova, long size, int flags) {
    checkOpen("VFIO_IOMMU_UNMAP_DMA");
    if ((flags & ~VFIO_DMA_UNMAP_FLAG_ALL) != 0) {
      throw unmapRefused(Errno.EINVAL, iova, size, flags, "only VFIO_DMA_UNMAP_FLAG_ALL is modelled");
    }
    if ((iova & pageMask) != 0) {
      throw unmapRefused(Errno.EINVAL, iova, size, flags,
          String.format("iova is not a multiple of the IOMMU page size 0x%x", pageMask + 1));
    }
    if ((flags & VFIO_DMA_UNMAP_FLAG_ALL) != 0) {
      if (iova != 0 || size != 0) {
        throw unmapRefused(Errno.EINVAL, iova, size, flags, "VFIO_DMA_UNMAP_FLAG_ALL needs iova and size 0");
      }
      long removed = table.bytes();
      dmaAvail += table.entries();
      lockedBytes -= removed;
      table.clear();
      return removed;
    }
    if (size == 0 || (size & pageMask) != 0) {
      throw unmapRefused(Errno.EINVAL, iova, size, flags,
          String.format("size must be a non-zero multiple of the IOMMU page size 0x%x", pageMask + 1));
    }
    if (wraps(iova, size)) {
      throw unmapRefused(Errno.EOVERFLOW, iova, size, flags,
          "the range wraps the 64-bit space (EOVERFLOW as Linux 7.2 answers; 6.12 answered EINVAL)");
    }
    long last = lastOf(iova, size);
    // The bisect test sees every mapping, also those inside one run of the table: only a range end that falls
    // inside one mapping bisects it. At iova 0 nothing can start before the range.
    if (table.entryContinuesAfter(iova - 1)) {
      throw unmapRefused(Errno.EINVAL, iova, size, flags, "the range starts inside " + table.entryAt(iova)
          + ": type1v2 forbids bisecting a mapping; nothing was unmapped");
    }
    if (table.entryContinuesAfter(last)) {
      throw unmapRefused(Errno.EINVAL, iova, size, flags, "the range ends inside " + table.entryAt(last)
          + ": type1v2 forbids bisecting a mapping; nothing was unmapped");
    }
    long entriesBefore = table.entries();
    long removed = table.removeInside(iova, last);
    dmaAvail += entriesBefore - table.entries();
    lockedBytes -= removed;
    return removed;
  }

  @Override
  public boolean hasUnmapAll() {
    return true;
  }

  @Override
  public boolean visitMappingRuns(MappingRunVisitor visitor) {
    table.forEachRun(visitor);
    return true;
  }

  @Override
  public boolean visitMappingRuns(long first, long last, MappingRunVisitor visitor) {
    table.forEachRunOverlapping(first, last, visitor);
    return true;
  }

  @Override
  public long pinnedBytes() {
    return lockedBytes;
  }

  @Override
  public boolean realKernel() {
    return false;
  }

  @Override
  public String description() {
    return "embedded type1v2 model";
  }

  @Override
  public void close() {
    if (!closed) {
      table.clear();
      lockedBytes = 0;
      closed = true;
    }
  }

  private void checkOpen(String ioctl) {
    if (closed) {
      throw new DmaException(ioctl, Errno.EBADF, "", "the container is closed");
    }
  }

  private boolean inRanges(long iova, long size) {
    for (int i = 0; i < ranges.size(); i++) {
      if (ranges.get(i).contains(iova, size)) {
        return true;
      }
    }
    return false;
  }
}
