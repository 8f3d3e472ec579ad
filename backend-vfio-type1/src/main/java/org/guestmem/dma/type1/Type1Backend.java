package org.guestmem.dma.type1;

import static org.guestmem.linux.vfio.Vfio.VFIO_DMA_MAP_FLAG_READ;
import static org.guestmem.linux.vfio.Vfio.VFIO_DMA_MAP_FLAG_WRITE;
import static org.guestmem.linux.vfio.Vfio.VFIO_DMA_UNMAP_FLAG_ALL;
import static org.guestmem.spi.IovaRange.lastOf;

import org.guestmem.dma.backend.LedgeredDmaBackend;
import org.guestmem.spi.DmaBackend;
import org.guestmem.spi.DmaCapabilities;
import org.guestmem.spi.DmaException;
import org.guestmem.spi.Errno;

/**
 * A VFIO type1v2 container as a {@link DmaBackend}, on the real kernel or the embedded model.
 *
 * <p>Keeps a ledger of its mappings: type1 calls are atomic (a failed map maps nothing, a failed unmap removes
 * nothing, a successful unmap removes exactly the mappings wholly inside the range), so the ledger is exact. The
 * ledger's byte count is cross-checked with the size the kernel writes back; a disagreement is reported as an
 * {@link IllegalStateException}, since it means the kernel and guestmem's idea of the container have diverged.
 *
 * <p>type1v2 cannot cut: {@link #cut} throws {@link UnsupportedOperationException}.
 */
public final class Type1Backend extends LedgeredDmaBackend {
  /** Kernel memory per mapping: one {@code struct vfio_dma} from kmalloc-96 (docs/linux-uapi-facts.md, 3). */
  public static final long KERNEL_BYTES_PER_ENTRY = 96;
  static final String CUT_LIMITATION = "type1v2 forbids bisecting unmaps: VFIO_IOMMU_UNMAP_DMA of a range that "
      + "cuts a mapping fails with EINVAL and removes nothing, and type1 has no split";
  static final String ENTRY_LIMIT_SETTING = "the module parameter vfio_iommu_type1.dma_entry_limit "
      + "(/sys/module/vfio_iommu_type1/parameters/dma_entry_limit or vfio_iommu_type1.dma_entry_limit=N on the "
      + "kernel command line), copied when a container is set up";

  private final Type1Container container;

  Type1Backend(String name, Type1Container container, String why) {
    super(name, container, why, KERNEL_BYTES_PER_ENTRY, "container", "mappings");
    this.container = container;
  }

  @Override
  public DmaCapabilities capabilities() {
    checkOpen("VFIO_IOMMU_GET_INFO");
    Type1Container.Info info = container.info();
    // QEMU assumes the kernel default when DMA_AVAIL is absent (kernels before 5.10).
    long remaining = info.dmaAvail() >= 0 ? info.dmaAvail()
        : Math.max(0, Type1KernelModel.DEFAULT_DMA_ENTRY_LIMIT - ledger.entries());
    return new DmaCapabilities(info.iovaPgsizes(), info.iovaRanges(), remaining, ENTRY_LIMIT_SETTING,
        KERNEL_BYTES_PER_ENTRY, false, CUT_LIMITATION, container.realKernel(), describe());
  }

  @Override
  public void map(long iova, long length, long vaddr, boolean readable, boolean writable) {
    checkOpen("VFIO_IOMMU_MAP_DMA");
    int flags = (readable ? VFIO_DMA_MAP_FLAG_READ : 0) | (writable ? VFIO_DMA_MAP_FLAG_WRITE : 0);
    container.mapDma(vaddr, iova, length, flags);
    ledger.add(iova, length, vaddr, readable, writable);
  }

  @Override
  public long unmap(long iova, long length) {
    checkOpen("VFIO_IOMMU_UNMAP_DMA");
    long removed;
    try {
      removed = container.unmapDma(iova, length, 0);
    } catch (DmaException e) {
      if (e.errno() == Errno.ENOENT.number()) {
        // Only iommufd's compat container answers a bisect with ENOENT, after its ascending walk removed the whole
        // mappings before the cut one; mirror that so the ledger stays what the kernel holds.
        ledger.removeInsideUntilCut(iova, lastOf(iova, length));
      }
      throw e;
    }
    return crossChecked("VFIO_IOMMU_UNMAP_DMA", iova, "size", length, removed,
        ledger.removeInside(iova, lastOf(iova, length)));
  }

  @Override
  public long cut(long iova, long length) {
    throw new UnsupportedOperationException(name() + " cannot cut: " + CUT_LIMITATION);
  }

  @Override
  public long unmapAll() {
    checkOpen("VFIO_IOMMU_UNMAP_DMA");
    long removed;
    if (container.hasUnmapAll()) {
      removed = container.unmapDma(0, 0, VFIO_DMA_UNMAP_FLAG_ALL);
    } else {
      // Kernels before 5.12: two half-space unmaps, as QEMU does (one size cannot cover 2^64 bytes).
      removed = container.unmapDma(0, 1L << 63, 0) + container.unmapDma(1L << 63, 1L << 63, 0);
    }
    ledger.clear();
    return removed;
  }

  /** On the real kernel every mapping pins its pages at map time, each mapping on its own. */
  @Override
  protected long pinnedByLedger() {
    return ledger.bytes();
  }
}
