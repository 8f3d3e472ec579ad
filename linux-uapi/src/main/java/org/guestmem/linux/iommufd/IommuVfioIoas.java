package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_vfio_ioas} of {@code linux/iommufd.h}: 12 bytes, the argument of {@code IOMMU_VFIO_IOAS}. */
@FieldOrder({"size", "ioas_id", "op", "__reserved"})
public class IommuVfioIoas extends KernelStruct {
  /** Size of the struct the caller passes, in bytes. */
  public int size;
  /** In for {@code SET}: the IOAS to use; out for {@code GET}: the compat IOAS. */
  public int ioas_id;
  /** {@code IOMMU_VFIO_IOAS_GET}, {@code SET} or {@code CLEAR}. */
  public short op;
  /** Must be 0. */
  public short __reserved;

  /** A struct in memory of its own, every field 0. */
  public IommuVfioIoas() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuVfioIoas(Pointer memory) {
    super(memory);
  }
}
