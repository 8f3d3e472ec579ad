package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_destroy} of {@code linux/iommufd.h}: 8 bytes, the argument of {@code IOMMU_DESTROY}. */
@FieldOrder({"size", "id"})
public class IommuDestroy extends KernelStruct {
  /** Size of the struct the caller passes, in bytes. */
  public int size;
  /** The object to destroy (an IOAS, a HWPT, ...). */
  public int id;

  /** A struct in memory of its own, every field 0. */
  public IommuDestroy() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuDestroy(Pointer memory) {
    super(memory);
  }
}
