package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iommu_type1_info_cap_migration} of {@code linux/vfio.h}: capability id 2, 32 bytes. */
@FieldOrder({"header", "flags", "pgsize_bitmap", "max_dirty_bitmap_size"})
public class VfioIommuType1InfoCapMigration extends KernelStruct {
  public VfioInfoCapHeader header;
  public int flags;
  public long pgsize_bitmap;
  public long max_dirty_bitmap_size;

  public VfioIommuType1InfoCapMigration() {}

  public VfioIommuType1InfoCapMigration(Pointer memory) {
    super(memory);
  }
}
