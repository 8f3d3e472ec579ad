package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iommu_type1_info} of {@code linux/vfio.h}: 24 bytes, followed in the {@code VFIO_IOMMU_GET_INFO} buffer by the capability chain. Headers before 6.6 lack {@code pad}; the size is 24 either way. */
@FieldOrder({"argsz", "flags", "iova_pgsizes", "cap_offset", "pad"})
public class VfioIommuType1Info extends KernelStruct {
  public int argsz;
  public int flags;
  public long iova_pgsizes;
  public int cap_offset;
  public int pad;

  public VfioIommuType1Info() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioIommuType1Info(Pointer memory) {
    super(memory);
  }
}
