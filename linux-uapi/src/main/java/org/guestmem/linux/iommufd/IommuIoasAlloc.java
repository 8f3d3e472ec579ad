package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_alloc} of {@code linux/iommufd.h}: 12 bytes, the argument of {@code IOMMU_IOAS_ALLOC}; {@code flags} must be 0. */
@FieldOrder({"size", "flags", "out_ioas_id"})
public class IommuIoasAlloc extends KernelStruct {
  /** Size of the struct the caller passes, in bytes. */
  public int size;
  /** Must be 0. */
  public int flags;
  /** Out: the new IOAS's id. */
  public int out_ioas_id;

  /** A struct in memory of its own, every field 0. */
  public IommuIoasAlloc() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuIoasAlloc(Pointer memory) {
    super(memory);
  }
}
