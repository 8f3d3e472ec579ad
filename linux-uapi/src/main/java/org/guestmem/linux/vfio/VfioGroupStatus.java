package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_group_status} of {@code linux/vfio.h}: 8 bytes, the argument of {@code VFIO_GROUP_GET_STATUS}. */
@FieldOrder({"argsz", "flags"})
public class VfioGroupStatus extends KernelStruct {
  public int argsz;
  public int flags;

  public VfioGroupStatus() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioGroupStatus(Pointer memory) {
    super(memory);
  }
}
