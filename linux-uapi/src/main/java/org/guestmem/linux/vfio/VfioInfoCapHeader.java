package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_info_cap_header} of {@code linux/vfio.h}: 8 bytes; {@code next} is an offset from the start of the info buffer, 0 ends the chain. */
@FieldOrder({"id", "version", "next"})
public class VfioInfoCapHeader extends KernelStruct {
  /** The capability id, e.g. {@code VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE} (unsigned). */
  public short id;
  /** The version of that capability's layout (unsigned). */
  public short version;
  /** Offset of the next capability from the start of the info buffer; 0 ends the chain. */
  public int next;

  /** A struct in memory of its own, every field 0. */
  public VfioInfoCapHeader() {}

  /**
   * A view of existing memory (e.g. the head of a larger buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioInfoCapHeader(Pointer memory) {
    super(memory);
  }
}
