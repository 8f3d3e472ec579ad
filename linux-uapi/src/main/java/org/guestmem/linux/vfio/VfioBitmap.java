package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_bitmap} of {@code linux/vfio.h}: 24 bytes, the dirty bitmap descriptor after {@code vfio_iommu_type1_dma_unmap}. */
@FieldOrder({"pgsize", "size", "data"})
public class VfioBitmap extends KernelStruct {
  public long pgsize;
  public long size;
  public long data;

  public VfioBitmap() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioBitmap(Pointer memory) {
    super(memory);
  }
}
