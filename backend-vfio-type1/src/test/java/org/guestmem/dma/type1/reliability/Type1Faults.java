package org.guestmem.dma.type1.reliability;

import static org.guestmem.conformance.FailingDmaBackend.Call.MAP;
import static org.guestmem.conformance.FailingDmaBackend.Call.UNMAP;
import static org.guestmem.conformance.FailingDmaBackend.Effect.NOTHING;

import java.util.List;
import java.util.Map;
import org.guestmem.conformance.FailingDmaBackend.Fault;
import org.guestmem.dma.type1.Type1Provider;
import org.guestmem.reliability.FaultSweep;
import org.guestmem.spi.Errno;

/**
 * Every errno docs/linux-uapi-facts.md (1.4, 2a) lists for the type1v2 ioctls the back-end issues, with what the kernel has
 * done by then: type1 calls are atomic, so always nothing. There is no cut on type1.
 */
final class Type1Faults {
  private Type1Faults() {}

  static final String MAP_DMA = "VFIO_IOMMU_MAP_DMA";
  static final String UNMAP_DMA = "VFIO_IOMMU_UNMAP_DMA";

  static final List<Fault> ALL = List.of(
      new Fault(MAP, MAP_DMA, Errno.EINVAL, NOTHING,
          "zero size, size/iova/vaddr not a multiple of the IOMMU page size, no READ/WRITE, or outside the IOVA ranges"),
      new Fault(MAP, MAP_DMA, Errno.EOVERFLOW, NOTHING, "the range wraps (kernels with check_*_overflow)"),
      new Fault(MAP, MAP_DMA, Errno.EEXIST, NOTHING, "overlaps an existing vfio_dma"),
      new Fault(MAP, MAP_DMA, Errno.ENOSPC, NOTHING, "dma_avail is 0 (vfio_iommu_type1.dma_entry_limit)"),
      new Fault(MAP, MAP_DMA, Errno.ENOMEM, NOTHING,
          "allocation failure or RLIMIT_MEMLOCK exceeded; a pin failing part-way is rolled back (vfio_remove_dma)"),
      new Fault(MAP, MAP_DMA, Errno.EFAULT, NOTHING, "pin_user_pages_remote failed; rolled back completely"),
      new Fault(UNMAP, UNMAP_DMA, Errno.EINVAL, NOTHING,
          "misaligned, zero size, or a mapping bisected: checked before anything is removed"),
      new Fault(UNMAP, UNMAP_DMA, Errno.EOVERFLOW, NOTHING, "the range wraps (kernels with check_*_overflow)"));

  static FaultSweep.Target target() {
    return new FaultSweep.Target("vfio-type1", () -> new Type1Provider().open(Map.of("kernel", "embedded")), ALL);
  }
}
