package org.guestmem.linux.iommufd;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct iommu_ioas_iova_ranges} of {@code linux/iommufd.h}: 32 bytes, the argument of {@code IOMMU_IOAS_IOVA_RANGES}; {@code num_iovas} in: room in {@code allowed_iovas}, out: the count (EMSGSIZE when the room was too small). */
@FieldOrder({"size", "ioas_id", "num_iovas", "__reserved", "allowed_iovas", "out_iova_alignment"})
public class IommuIoasIovaRanges extends KernelStruct {
  public int size;
  public int ioas_id;
  public int num_iovas;
  public int __reserved;
  public long allowed_iovas;
  public long out_iova_alignment;

  public IommuIoasIovaRanges() {}

  /** A view of existing memory. */
  public IommuIoasIovaRanges(Pointer memory) {
    super(memory);
  }
}
