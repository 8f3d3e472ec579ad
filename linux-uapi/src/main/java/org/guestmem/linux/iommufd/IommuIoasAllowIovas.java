package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_allow_iovas} of {@code linux/iommufd.h}: 24 bytes, the argument of {@code IOMMU_IOAS_ALLOW_IOVAS}. */
@FieldOrder({"size", "ioas_id", "num_iovas", "__reserved", "allowed_iovas"})
public class IommuIoasAllowIovas extends KernelStruct {
  public int size;
  public int ioas_id;
  public int num_iovas;
  public int __reserved;
  public long allowed_iovas;

  public IommuIoasAllowIovas() {}

  /** A view of existing memory. */
  public IommuIoasAllowIovas(Pointer memory) {
    super(memory);
  }
}
