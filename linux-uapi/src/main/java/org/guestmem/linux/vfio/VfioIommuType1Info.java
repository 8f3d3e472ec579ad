package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iommu_type1_info} of {@code linux/vfio.h}: 24 bytes, followed in the {@code VFIO_IOMMU_GET_INFO} buffer by the capability chain. Headers before 6.6 lack {@code pad}; the size is 24 either way. */
@FieldOrder({"argsz", "flags", "iova_pgsizes", "cap_offset", "pad"})
public class VfioIommuType1Info extends KernelStruct {
  /** In: size of the buffer, capabilities included; out: the size the capabilities need. */
  public int argsz;
  /** Out: {@code VFIO_IOMMU_INFO_PGSIZES} and {@code VFIO_IOMMU_INFO_CAPS}. */
  public int flags;
  /** Out: bitmap of the IOMMU page sizes every domain supports; the lowest bit is the mapping granule. */
  public long iova_pgsizes;
  /** Out: offset of the first capability from the start of the buffer, 0 when none were copied. */
  public int cap_offset;
  /** Padding to 8 bytes. */
  public int pad;

  /** A struct in memory of its own, every field 0. */
  public VfioIommuType1Info() {}

  /**
   * A view of existing memory (e.g. the head of a larger buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioIommuType1Info(Pointer memory) {
    super(memory);
  }
}
