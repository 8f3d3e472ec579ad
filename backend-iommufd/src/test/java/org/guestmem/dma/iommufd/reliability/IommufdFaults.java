package org.guestmem.dma.iommufd.reliability;

import static org.guestmem.conformance.FailingDmaBackend.Call.CUT;
import static org.guestmem.conformance.FailingDmaBackend.Call.MAP;
import static org.guestmem.conformance.FailingDmaBackend.Call.UNMAP;
import static org.guestmem.conformance.FailingDmaBackend.Effect.CUT_AND_WALKED;
import static org.guestmem.conformance.FailingDmaBackend.Effect.NOTHING;
import static org.guestmem.conformance.FailingDmaBackend.Effect.TAIL_CUT;
import static org.guestmem.conformance.FailingDmaBackend.Effect.WALKED;

import java.util.List;
import java.util.Map;
import org.guestmem.conformance.FailingDmaBackend.Fault;
import org.guestmem.dma.iommufd.IommufdProvider;
import org.guestmem.reliability.FaultSweep;
import org.guestmem.spi.Errno;

/**
 * Every errno docs/linux-uapi-facts.md (1.4, 2c, 2f) lists for the iommufd ioctls the back-end issues, with what the kernel
 * has done by then: maps are atomic; {@code IOMMU_IOAS_UNMAP} walks the areas in ascending order and has removed the
 * whole areas before the one it stops at (ENOENT, EBUSY); the compat {@code VFIO_IOMMU_UNMAP_DMA} that cuts has made
 * the cuts before the one refused (EINVAL from {@code iopt_area_split}) and may have walked part of the range
 * (EBUSY, ENOENT) before failing.
 */
final class IommufdFaults {
  private IommufdFaults() {}

  static final String IOAS_MAP = "IOMMU_IOAS_MAP";
  static final String IOAS_UNMAP = "IOMMU_IOAS_UNMAP";
  static final String COMPAT_UNMAP = "VFIO_IOMMU_UNMAP_DMA";

  static final List<Fault> ALL = List.of(
      new Fault(MAP, IOAS_MAP, Errno.EOPNOTSUPP, NOTHING, "unknown flags or __reserved not 0"),
      new Fault(MAP, IOAS_MAP, Errno.EOVERFLOW, NOTHING, "iova or length at or above ULONG_MAX"),
      new Fault(MAP, IOAS_MAP, Errno.EINVAL, NOTHING,
          "no access flag, zero length, misaligned iova/length/user_va, or a reserved IOVA"),
      new Fault(MAP, IOAS_MAP, Errno.EEXIST, NOTHING, "an existing area overlaps"),
      new Fault(MAP, IOAS_MAP, Errno.ENOSPC, NOTHING, "automatic IOVA allocation failed"),
      new Fault(MAP, IOAS_MAP, Errno.ENOMEM, NOTHING, "pinning or RLIMIT_MEMLOCK accounting failed; pages unpinned"),
      new Fault(MAP, IOAS_MAP, Errno.EFAULT, NOTHING, "the user pages could not be pinned"),
      new Fault(UNMAP, IOAS_UNMAP, Errno.EINVAL, NOTHING, "length is 0"),
      new Fault(UNMAP, IOAS_UNMAP, Errno.EOVERFLOW, NOTHING, "iova or length at or above ULONG_MAX"),
      new Fault(UNMAP, IOAS_UNMAP, Errno.ENOENT, WALKED,
          "the walk met an area it would have to cut; earlier whole areas are already unmapped (not atomic)"),
      new Fault(UNMAP, IOAS_UNMAP, Errno.EBUSY, WALKED,
          "the walk met an area still being set up or locked; earlier whole areas are already unmapped"),
      new Fault(CUT, COMPAT_UNMAP, Errno.EINVAL, NOTHING, "iopt_area_split refused the cut at the last byte"),
      new Fault(CUT, COMPAT_UNMAP, Errno.EINVAL, TAIL_CUT,
          "iopt_area_split refused the cut before the first byte; the cut at the last byte stays"),
      new Fault(CUT, COMPAT_UNMAP, Errno.EOVERFLOW, NOTHING, "the range wraps"),
      new Fault(CUT, COMPAT_UNMAP, Errno.ENODEV, NOTHING, "no compat IOAS"),
      new Fault(CUT, COMPAT_UNMAP, Errno.EBUSY, CUT_AND_WALKED,
          "an area is being torn down: both cuts made, the walk stopped part-way; .size copied back on failure"),
      new Fault(CUT, COMPAT_UNMAP, Errno.ENOENT, WALKED,
          "a v2 bisect (huge pages on): the walk stopped part-way, earlier whole areas unmapped"));

  static FaultSweep.Target target(boolean cut) {
    return new FaultSweep.Target(cut ? "iommufd(cut)" : "iommufd",
        () -> new IommufdProvider().open(Map.of("kernel", "embedded", "cut", Boolean.toString(cut))), ALL);
  }
}
