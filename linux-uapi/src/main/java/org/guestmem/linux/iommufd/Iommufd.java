package org.guestmem.linux.iommufd;

/**
 * Constants of {@code linux/iommufd.h}, named as the header names them. Requests are
 * {@code _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + k)} = {@code 0x3B80 + k}.
 */
public final class Iommufd {
  private Iommufd() {}

  public static final int IOMMUFD_TYPE = ';';
  public static final int IOMMUFD_CMD_BASE = 0x80;

  private static long io(int nr) {
    return ((long) IOMMUFD_TYPE << 8) | nr;
  }

  public static final long IOMMU_DESTROY = io(IOMMUFD_CMD_BASE);
  public static final long IOMMU_IOAS_ALLOC = io(IOMMUFD_CMD_BASE + 1);
  public static final long IOMMU_IOAS_ALLOW_IOVAS = io(IOMMUFD_CMD_BASE + 2);
  public static final long IOMMU_IOAS_COPY = io(IOMMUFD_CMD_BASE + 3);
  public static final long IOMMU_IOAS_IOVA_RANGES = io(IOMMUFD_CMD_BASE + 4);
  public static final long IOMMU_IOAS_MAP = io(IOMMUFD_CMD_BASE + 5);
  public static final long IOMMU_IOAS_UNMAP = io(IOMMUFD_CMD_BASE + 6);
  public static final long IOMMU_OPTION = io(IOMMUFD_CMD_BASE + 7);
  public static final long IOMMU_VFIO_IOAS = io(IOMMUFD_CMD_BASE + 8);
  public static final long IOMMU_IOAS_MAP_FILE = io(IOMMUFD_CMD_BASE + 0xf);
  public static final long IOMMU_IOAS_CHANGE_PROCESS = io(IOMMUFD_CMD_BASE + 0x12);

  // iommu_ioas_map.flags (also COPY and MAP_FILE)
  public static final int IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0;
  public static final int IOMMU_IOAS_MAP_WRITEABLE = 1 << 1;
  public static final int IOMMU_IOAS_MAP_READABLE = 1 << 2;

  // enum iommufd_option
  public static final int IOMMU_OPTION_RLIMIT_MODE = 0;
  public static final int IOMMU_OPTION_HUGE_PAGES = 1;

  // enum iommufd_option_ops
  public static final int IOMMU_OPTION_OP_SET = 0;
  public static final int IOMMU_OPTION_OP_GET = 1;

  // enum iommufd_vfio_ioas_op
  public static final int IOMMU_VFIO_IOAS_GET = 0;
  public static final int IOMMU_VFIO_IOAS_SET = 1;
  public static final int IOMMU_VFIO_IOAS_CLEAR = 2;
}
