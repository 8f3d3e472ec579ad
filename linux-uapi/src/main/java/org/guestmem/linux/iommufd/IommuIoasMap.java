package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_map} of {@code linux/iommufd.h}: 40 bytes, the argument of {@code IOMMU_IOAS_MAP}; {@code iova} is an input with {@code IOMMU_IOAS_MAP_FIXED_IOVA}. */
@FieldOrder({"size", "flags", "ioas_id", "__reserved", "user_va", "length", "iova"})
public class IommuIoasMap extends KernelStruct {
  public int size;
  public int flags;
  public int ioas_id;
  public int __reserved;
  public long user_va;
  public long length;
  public long iova;

  public IommuIoasMap() {}

  /** A view of existing memory. */
  public IommuIoasMap(Pointer memory) {
    super(memory);
  }
}
