package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_device_bind_iommufd} of {@code linux/vfio.h}: 24 bytes, the argument of {@code VFIO_DEVICE_BIND_IOMMUFD} on a vfio cdev; pass {@code argsz} 16 and no flags unless a VF token is needed. */
@FieldOrder({"argsz", "flags", "iommufd", "out_devid", "token_uuid_ptr"})
public class VfioDeviceBindIommufd extends KernelStruct {
  /** Size of the struct the caller passes, in bytes (at least 16; guestmem passes 16). */
  public int argsz;
  /** {@code VFIO_DEVICE_BIND_*} flags; 0 unless a VF token is passed. */
  public int flags;
  /** The iommufd descriptor to bind the device to. */
  public int iommufd;
  /** Out: the device's id in that iommufd. */
  public int out_devid;
  /** User address of the VF token's UUID, read only with {@code VFIO_DEVICE_BIND_FLAG_TOKEN}. */
  public long token_uuid_ptr;

  /** A struct in memory of its own, every field 0. */
  public VfioDeviceBindIommufd() {}

  /**
   * A view of existing memory (e.g. the head of a larger buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioDeviceBindIommufd(Pointer memory) {
    super(memory);
  }
}
