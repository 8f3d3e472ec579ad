package org.guestmem.linux.vfio;

/**
 * Constants of {@code linux/vfio.h}, named as the header names them. Request numbers are {@code _IO(';', 100 + k)}
 * = {@code 0x3B64 + k} on every architecture that uses asm-generic ioctl numbering.
 */
public final class Vfio {
  private Vfio() {}

  public static final int VFIO_API_VERSION = 0;
  public static final int VFIO_TYPE = ';';
  public static final int VFIO_BASE = 100;

  /** {@code _IO(type, nr)}: no direction, no size. */
  public static long io(int type, int nr) {
    return ((long) type << 8) | nr;
  }

  // Extensions (VFIO_CHECK_EXTENSION) and IOMMU types (VFIO_SET_IOMMU)
  public static final int VFIO_TYPE1_IOMMU = 1;
  public static final int VFIO_SPAPR_TCE_IOMMU = 2;
  public static final int VFIO_TYPE1v2_IOMMU = 3;
  public static final int VFIO_DMA_CC_IOMMU = 4;
  public static final int VFIO_UNMAP_ALL = 9;
  public static final int VFIO_UPDATE_VADDR = 10;

  public static final long VFIO_GET_API_VERSION = io(VFIO_TYPE, VFIO_BASE + 0);
  public static final long VFIO_CHECK_EXTENSION = io(VFIO_TYPE, VFIO_BASE + 1);
  public static final long VFIO_SET_IOMMU = io(VFIO_TYPE, VFIO_BASE + 2);
  public static final long VFIO_GROUP_GET_STATUS = io(VFIO_TYPE, VFIO_BASE + 3);
  public static final long VFIO_GROUP_SET_CONTAINER = io(VFIO_TYPE, VFIO_BASE + 4);
  public static final long VFIO_GROUP_UNSET_CONTAINER = io(VFIO_TYPE, VFIO_BASE + 5);
  public static final long VFIO_IOMMU_GET_INFO = io(VFIO_TYPE, VFIO_BASE + 12);
  public static final long VFIO_IOMMU_MAP_DMA = io(VFIO_TYPE, VFIO_BASE + 13);
  public static final long VFIO_IOMMU_UNMAP_DMA = io(VFIO_TYPE, VFIO_BASE + 14);
  public static final long VFIO_DEVICE_BIND_IOMMUFD = io(VFIO_TYPE, VFIO_BASE + 18);
  public static final long VFIO_DEVICE_ATTACH_IOMMUFD_PT = io(VFIO_TYPE, VFIO_BASE + 19);
  public static final long VFIO_DEVICE_DETACH_IOMMUFD_PT = io(VFIO_TYPE, VFIO_BASE + 20);

  // vfio_group_status.flags
  public static final int VFIO_GROUP_FLAGS_VIABLE = 1 << 0;
  public static final int VFIO_GROUP_FLAGS_CONTAINER_SET = 1 << 1;

  // vfio_iommu_type1_info.flags
  public static final int VFIO_IOMMU_INFO_PGSIZES = 1 << 0;
  public static final int VFIO_IOMMU_INFO_CAPS = 1 << 1;

  // Capability ids of the type1 info chain
  public static final int VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;
  public static final int VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION = 2;
  public static final int VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL = 3;

  // vfio_iommu_type1_dma_map.flags
  public static final int VFIO_DMA_MAP_FLAG_READ = 1 << 0;
  public static final int VFIO_DMA_MAP_FLAG_WRITE = 1 << 1;
  public static final int VFIO_DMA_MAP_FLAG_VADDR = 1 << 2;

  // vfio_iommu_type1_dma_unmap.flags
  public static final int VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP = 1 << 0;
  public static final int VFIO_DMA_UNMAP_FLAG_ALL = 1 << 1;
  public static final int VFIO_DMA_UNMAP_FLAG_VADDR = 1 << 2;

  // vfio_device_bind_iommufd.flags, vfio_device_attach_iommufd_pt.flags
  public static final int VFIO_DEVICE_BIND_FLAG_TOKEN = 1 << 0;
  public static final int VFIO_DEVICE_ATTACH_PASID = 1 << 0;
}
