package org.guestmem.linux.vfio;

import com.sun.jna.Pointer;
import com.sun.jna.Structure.FieldOrder;
import org.guestmem.linux.KernelStruct;

/** {@code struct vfio_device_attach_iommufd_pt} of {@code linux/vfio.h}: 16 bytes, the argument of {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT}; {@code pt_id} in: the IOAS or HWPT id, out: the HWPT attached. */
@FieldOrder({"argsz", "flags", "pt_id", "pasid"})
public class VfioDeviceAttachIommufdPt extends KernelStruct {
  /** Size of the struct the caller passes, in bytes (at least 12; 16 with {@code VFIO_DEVICE_ATTACH_PASID}). */
  public int argsz;
  /** {@code VFIO_DEVICE_ATTACH_*} flags; only {@code PASID} is known. */
  public int flags;
  /** In: the IOAS or HWPT to attach to; out: the HWPT the kernel attached. */
  public int pt_id;
  /** The PASID to attach, read only with {@code VFIO_DEVICE_ATTACH_PASID}. */
  public int pasid;

  /** A struct in memory of its own, every field 0. */
  public VfioDeviceAttachIommufdPt() {}

  /**
   * A view of existing memory (e.g. the head of a larger buffer).
   *
   * @param memory where the struct lies, at least {@link #size()} bytes
   */
  public VfioDeviceAttachIommufdPt(Pointer memory) {
    super(memory);
  }
}
