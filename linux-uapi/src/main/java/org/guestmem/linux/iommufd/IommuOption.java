package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_option} of {@code linux/iommufd.h}: 24 bytes, the argument of {@code IOMMU_OPTION}. */
@FieldOrder({"size", "option_id", "op", "__reserved", "object_id", "val64"})
public class IommuOption extends KernelStruct {
  /** Size of the struct the caller passes, in bytes. */
  public int size;
  /** The option, {@code IOMMU_OPTION_RLIMIT_MODE} or {@code IOMMU_OPTION_HUGE_PAGES}. */
  public int option_id;
  /** {@code IOMMU_OPTION_OP_SET} or {@code IOMMU_OPTION_OP_GET}. */
  public short op;
  /** Must be 0. */
  public short __reserved;
  /** The object the option is about: 0 for the global {@code RLIMIT_MODE}, an IOAS for {@code HUGE_PAGES}. */
  public int object_id;
  /** The value to set, or out: the value read. */
  public long val64;

  /** A struct in memory of its own, every field 0. */
  public IommuOption() {}

  /**
   * A view of existing memory.
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public IommuOption(Pointer memory) {
    super(memory);
  }
}
