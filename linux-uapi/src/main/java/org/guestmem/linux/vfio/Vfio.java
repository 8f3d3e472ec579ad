package org.guestmem.linux.vfio;

/**
 * Constants of {@code linux/vfio.h}, named as the header names them. Request numbers are {@code _IO(';', 100 + k)}
 * = {@code 0x3B64 + k} on every architecture that uses asm-generic ioctl numbering.
 */
public final class Vfio {
  private Vfio() {}

  /** The version {@code VFIO_GET_API_VERSION} answers; any other means an incompatible kernel. */
  public static final int VFIO_API_VERSION = 0;
  /** The ioctl type byte of every VFIO request. */
  public static final int VFIO_TYPE = ';';
  /** The number of the first VFIO request. */
  public static final int VFIO_BASE = 100;

  /**
   * {@code _IO(type, nr)}: a request number with no direction and no size encoded (linux-uapi-facts.md 1.1).
   *
   * @param type the ioctl type byte
   * @param nr the request's number within the type
   * @return {@code (type << 8) | nr}
   */
  public static long io(int type, int nr) {
    return ((long) type << 8) | nr;
  }

  // Extensions (VFIO_CHECK_EXTENSION) and IOMMU types (VFIO_SET_IOMMU)
  /** The type1 IOMMU, v1 rules (an unmap may cut a mapping); an extension and a {@code VFIO_SET_IOMMU} type. */
  public static final int VFIO_TYPE1_IOMMU = 1;
  /** The POWER sPAPR TCE IOMMU; named for completeness, guestmem never selects it. */
  public static final int VFIO_SPAPR_TCE_IOMMU = 2;
  /**
   * The type1 IOMMU, v2 rules (an unmap that cuts a mapping is refused; linux-uapi-facts.md 2a): the type guestmem
   * selects.
   */
  public static final int VFIO_TYPE1v2_IOMMU = 3;
  /** Extension: the IOMMU enforces DMA cache coherence. */
  public static final int VFIO_DMA_CC_IOMMU = 4;
  /** Extension: {@code VFIO_IOMMU_UNMAP_DMA} accepts {@link #VFIO_DMA_UNMAP_FLAG_ALL}. */
  public static final int VFIO_UNMAP_ALL = 9;
  /** Extension: the {@code VADDR} map and unmap flags, answered only after {@code VFIO_SET_IOMMU}. */
  public static final int VFIO_UPDATE_VADDR = 10;

  /** {@code VFIO_GET_API_VERSION}, on a container: returns {@link #VFIO_API_VERSION}. */
  public static final long VFIO_GET_API_VERSION = io(VFIO_TYPE, VFIO_BASE + 0);
  /** {@code VFIO_CHECK_EXTENSION}, on a container: an extension id by value; returns 0 when unsupported. */
  public static final long VFIO_CHECK_EXTENSION = io(VFIO_TYPE, VFIO_BASE + 1);
  /** {@code VFIO_SET_IOMMU}, on a container with a group attached: the IOMMU type by value. */
  public static final long VFIO_SET_IOMMU = io(VFIO_TYPE, VFIO_BASE + 2);
  /** {@code VFIO_GROUP_GET_STATUS}, on a group: fills {@link VfioGroupStatus}. */
  public static final long VFIO_GROUP_GET_STATUS = io(VFIO_TYPE, VFIO_BASE + 3);
  /** {@code VFIO_GROUP_SET_CONTAINER}, on a group: a pointer to the container's (or an iommufd's) descriptor. */
  public static final long VFIO_GROUP_SET_CONTAINER = io(VFIO_TYPE, VFIO_BASE + 4);
  /** {@code VFIO_GROUP_UNSET_CONTAINER}, on a group: detaches it from its container. */
  public static final long VFIO_GROUP_UNSET_CONTAINER = io(VFIO_TYPE, VFIO_BASE + 5);
  /** {@code VFIO_IOMMU_GET_INFO}, on a container: fills {@link VfioIommuType1Info} and its capability chain. */
  public static final long VFIO_IOMMU_GET_INFO = io(VFIO_TYPE, VFIO_BASE + 12);
  /** {@code VFIO_IOMMU_MAP_DMA}, on a container: takes {@link VfioIommuType1DmaMap}. */
  public static final long VFIO_IOMMU_MAP_DMA = io(VFIO_TYPE, VFIO_BASE + 13);
  /** {@code VFIO_IOMMU_UNMAP_DMA}, on a container: takes {@link VfioIommuType1DmaUnmap}. */
  public static final long VFIO_IOMMU_UNMAP_DMA = io(VFIO_TYPE, VFIO_BASE + 14);
  /** {@code VFIO_DEVICE_BIND_IOMMUFD}, on a device cdev: takes {@link VfioDeviceBindIommufd}. */
  public static final long VFIO_DEVICE_BIND_IOMMUFD = io(VFIO_TYPE, VFIO_BASE + 18);
  /** {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT}, on a bound device cdev: takes {@link VfioDeviceAttachIommufdPt}. */
  public static final long VFIO_DEVICE_ATTACH_IOMMUFD_PT = io(VFIO_TYPE, VFIO_BASE + 19);
  /** {@code VFIO_DEVICE_DETACH_IOMMUFD_PT}, on a device cdev: detaches it from its IOAS or HWPT. */
  public static final long VFIO_DEVICE_DETACH_IOMMUFD_PT = io(VFIO_TYPE, VFIO_BASE + 20);

  // vfio_group_status.flags
  /** Group status: every device in the group is bound to a VFIO driver, so the group may be used. */
  public static final int VFIO_GROUP_FLAGS_VIABLE = 1 << 0;
  /** Group status: the group is attached to a container. */
  public static final int VFIO_GROUP_FLAGS_CONTAINER_SET = 1 << 1;

  // vfio_iommu_type1_info.flags
  /** Info flag: {@code iova_pgsizes} is valid. */
  public static final int VFIO_IOMMU_INFO_PGSIZES = 1 << 0;
  /** Info flag: capabilities follow; {@code cap_offset} is valid, or {@code argsz} says the size they need. */
  public static final int VFIO_IOMMU_INFO_CAPS = 1 << 1;

  // Capability ids of the type1 info chain
  /** Capability id: the usable IOVA ranges ({@link VfioIommuType1InfoCapIovaRange}). */
  public static final int VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;
  /** Capability id: dirty-page tracking for migration; guestmem only records that it is there. */
  public static final int VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION = 2;
  /** Capability id: how many more mappings the container accepts ({@link VfioIommuType1InfoDmaAvail}). */
  public static final int VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL = 3;

  // vfio_iommu_type1_dma_map.flags
  /** Map flag: the device may read the memory. */
  public static final int VFIO_DMA_MAP_FLAG_READ = 1 << 0;
  /** Map flag: the device may write the memory. */
  public static final int VFIO_DMA_MAP_FLAG_WRITE = 1 << 1;
  /** Map flag: only update the user address of an existing mapping. */
  public static final int VFIO_DMA_MAP_FLAG_VADDR = 1 << 2;

  // vfio_iommu_type1_dma_unmap.flags
  /** Unmap flag: also return the dirty bitmap of the range. */
  public static final int VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP = 1 << 0;
  /** Unmap flag: unmap every mapping ({@code iova} and {@code size} must be 0). */
  public static final int VFIO_DMA_UNMAP_FLAG_ALL = 1 << 1;
  /** Unmap flag: only invalidate the user address of the mappings, keeping them. */
  public static final int VFIO_DMA_UNMAP_FLAG_VADDR = 1 << 2;

  // vfio_device_bind_iommufd.flags, vfio_device_attach_iommufd_pt.flags
  /** Bind flag: {@code token_uuid_ptr} carries the VF token. */
  public static final int VFIO_DEVICE_BIND_FLAG_TOKEN = 1 << 0;
  /** Attach flag: {@code pasid} is valid. */
  public static final int VFIO_DEVICE_ATTACH_PASID = 1 << 0;
}
