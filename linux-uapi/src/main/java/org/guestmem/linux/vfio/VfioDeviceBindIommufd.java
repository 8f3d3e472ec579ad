package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_device_bind_iommufd} of {@code linux/vfio.h}: 24 bytes, the argument of {@code VFIO_DEVICE_BIND_IOMMUFD} on a vfio cdev; pass {@code argsz} 16 and no flags unless a VF token is needed. */
@FieldOrder({"argsz", "flags", "iommufd", "out_devid", "token_uuid_ptr"})
public class VfioDeviceBindIommufd extends KernelStruct {
  public int argsz;
  public int flags;
  public int iommufd;
  public int out_devid;
  public long token_uuid_ptr;

  public VfioDeviceBindIommufd() {}

  /** A view of existing memory (e.g. the head of a larger buffer). */
  public VfioDeviceBindIommufd(Pointer memory) {
    super(memory);
  }
}
