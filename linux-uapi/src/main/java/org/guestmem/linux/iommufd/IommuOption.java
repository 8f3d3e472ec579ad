package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_option} of {@code linux/iommufd.h}: 24 bytes, the argument of {@code IOMMU_OPTION}. */
@FieldOrder({"size", "option_id", "op", "__reserved", "object_id", "val64"})
public class IommuOption extends KernelStruct {
  public int size;
  public int option_id;
  public short op;
  public short __reserved;
  public int object_id;
  public long val64;

  public IommuOption() {}

  /** A view of existing memory. */
  public IommuOption(Pointer memory) {
    super(memory);
  }
}
