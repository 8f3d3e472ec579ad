package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_group_status} of {@code linux/vfio.h}: 8 bytes, the argument of {@code VFIO_GROUP_GET_STATUS}. */
@FieldOrder({"argsz", "flags"})
public class VfioGroupStatus extends KernelStruct {
  /** Size of the struct the caller passes, in bytes (at least 8). */
  public int argsz;
  /** Out: {@code VFIO_GROUP_FLAGS_VIABLE} and {@code VFIO_GROUP_FLAGS_CONTAINER_SET}. */
  public int flags;

  /** A struct in memory of its own, every field 0. */
  public VfioGroupStatus() {}

  /**
   * A view of existing memory (e.g. the head of a larger buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioGroupStatus(Pointer memory) {
    super(memory);
  }
}
