package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/**
 * {@code struct vfio_iommu_type1_info_cap_iova_range} of {@code linux/vfio.h}: capability id 1, 16 bytes followed
 * by {@code nr_iovas} {@link VfioIovaRange}s (the flexible array {@code iova_ranges[]} at offset 16, which JNA
 * cannot declare; {@link CapabilityChain} reads it).
 */
@FieldOrder({"header", "nr_iovas", "reserved"})
public class VfioIommuType1InfoCapIovaRange extends KernelStruct {
  /** The chain header; {@code id} is {@code VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE}. */
  public VfioInfoCapHeader header;
  /** The number of ranges that follow. */
  public int nr_iovas;
  /** Padding before the ranges. */
  public int reserved;

  /** A struct in memory of its own, every field 0. */
  public VfioIommuType1InfoCapIovaRange() {}

  /**
   * A view of existing memory (inside the info buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioIommuType1InfoCapIovaRange(Pointer memory) {
    super(memory);
  }
}
