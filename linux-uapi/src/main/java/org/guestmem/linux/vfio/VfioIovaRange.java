package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_iova_range} of {@code linux/vfio.h}: 16 bytes, {@code end} inclusive. */
@FieldOrder({"start", "end"})
public class VfioIovaRange extends KernelStruct {
  public long start;
  public long end;

  public VfioIovaRange() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioIovaRange(Pointer memory) {
    super(memory);
  }
}
