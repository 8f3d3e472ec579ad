package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_change_process} of {@code linux/iommufd.h}: 8 bytes, the argument of {@code IOMMU_IOAS_CHANGE_PROCESS}. */
@FieldOrder({"size", "__reserved"})
public class IommuIoasChangeProcess extends KernelStruct {
  public int size;
  public int __reserved;

  public IommuIoasChangeProcess() {}

  /** A view of existing memory. */
  public IommuIoasChangeProcess(Pointer memory) {
    super(memory);
  }
}
