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
  public VfioInfoCapHeader header;
  public int nr_iovas;
  public int reserved;

  public VfioIommuType1InfoCapIovaRange() {}

  public VfioIommuType1InfoCapIovaRange(Pointer memory) {
    super(memory);
  }
}
