package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_iova_range} of {@code linux/iommufd.h}: 16 bytes, {@code last} inclusive. */
@FieldOrder({"start", "last"})
public class IommuIovaRange extends KernelStruct {
  /** First usable IOVA. */
  public long start;
  /** Last usable IOVA (inclusive). */
  public long last;

  /** A struct in memory of its own, every field 0. */
  public IommuIovaRange() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuIovaRange(Pointer memory) {
    super(memory);
  }
}
