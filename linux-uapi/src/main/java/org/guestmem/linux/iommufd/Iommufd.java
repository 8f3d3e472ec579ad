package org.guestmem.linux.iommufd;

/**
 * Constants of {@code linux/iommufd.h}, named as the header names them. Requests are
 * {@code _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + k)} = {@code 0x3B80 + k}.
 */
public final class Iommufd {
  private Iommufd() {}

  /** The ioctl type byte of every iommufd request (the same as VFIO's). */
  public static final int IOMMUFD_TYPE = ';';
  /** The number of the first iommufd request; numbers below it go to the VFIO compat handler. */
  public static final int IOMMUFD_CMD_BASE = 0x80;

  private static long io(int nr) {
    return ((long) IOMMUFD_TYPE << 8) | nr;
  }

  /** {@code IOMMU_DESTROY}: frees an object by id ({@link IommuDestroy}). */
  public static final long IOMMU_DESTROY = io(IOMMUFD_CMD_BASE);
  /** {@code IOMMU_IOAS_ALLOC}: creates an IO address space ({@link IommuIoasAlloc}). */
  public static final long IOMMU_IOAS_ALLOC = io(IOMMUFD_CMD_BASE + 1);
  /** {@code IOMMU_IOAS_ALLOW_IOVAS}: restricts where the kernel may place IOVAs it picks. */
  public static final long IOMMU_IOAS_ALLOW_IOVAS = io(IOMMUFD_CMD_BASE + 2);
  /** {@code IOMMU_IOAS_COPY}: maps the pages of one range again, in the same or another IOAS. */
  public static final long IOMMU_IOAS_COPY = io(IOMMUFD_CMD_BASE + 3);
  /** {@code IOMMU_IOAS_IOVA_RANGES}: the usable IOVA ranges and alignment ({@link IommuIoasIovaRanges}). */
  public static final long IOMMU_IOAS_IOVA_RANGES = io(IOMMUFD_CMD_BASE + 4);
  /** {@code IOMMU_IOAS_MAP}: maps user memory by address ({@link IommuIoasMap}). */
  public static final long IOMMU_IOAS_MAP = io(IOMMUFD_CMD_BASE + 5);
  /** {@code IOMMU_IOAS_UNMAP}: unmaps a range ({@link IommuIoasUnmap}). */
  public static final long IOMMU_IOAS_UNMAP = io(IOMMUFD_CMD_BASE + 6);
  /** {@code IOMMU_OPTION}: sets or gets an option of the context or of an IOAS ({@link IommuOption}). */
  public static final long IOMMU_OPTION = io(IOMMUFD_CMD_BASE + 7);
  /** {@code IOMMU_VFIO_IOAS}: gets, sets or clears the IOAS the VFIO compat path uses ({@link IommuVfioIoas}). */
  public static final long IOMMU_VFIO_IOAS = io(IOMMUFD_CMD_BASE + 8);
  /** {@code IOMMU_IOAS_MAP_FILE}: maps a memfd by descriptor and offset ({@link IommuIoasMapFile}). */
  public static final long IOMMU_IOAS_MAP_FILE = io(IOMMUFD_CMD_BASE + 0xf);
  /** {@code IOMMU_IOAS_CHANGE_PROCESS}: moves the pinned-memory accounting to the calling process. */
  public static final long IOMMU_IOAS_CHANGE_PROCESS = io(IOMMUFD_CMD_BASE + 0x12);

  // iommu_ioas_map.flags (also COPY and MAP_FILE)
  /** Map flag: map at the given {@code iova}; without it the kernel picks one and writes it back. */
  public static final int IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0;
  /** Map flag: the device may write the memory. */
  public static final int IOMMU_IOAS_MAP_WRITEABLE = 1 << 1;
  /** Map flag: the device may read the memory. */
  public static final int IOMMU_IOAS_MAP_READABLE = 1 << 2;

  // enum iommufd_option
  /** Option: how pinned memory is charged against {@code RLIMIT_MEMLOCK} (0 per user, 1 per process); global. */
  public static final int IOMMU_OPTION_RLIMIT_MODE = 0;
  /** Option: whether an IOAS may map huge pages (1, the default) or only page-sized pieces (0). */
  public static final int IOMMU_OPTION_HUGE_PAGES = 1;

  // enum iommufd_option_ops
  /** Option operation: set {@code val64}. */
  public static final int IOMMU_OPTION_OP_SET = 0;
  /** Option operation: read into {@code val64}. */
  public static final int IOMMU_OPTION_OP_GET = 1;

  // enum iommufd_vfio_ioas_op
  /** Compat IOAS operation: return its id in {@code ioas_id}. */
  public static final int IOMMU_VFIO_IOAS_GET = 0;
  /** Compat IOAS operation: make {@code ioas_id} the compat IOAS. */
  public static final int IOMMU_VFIO_IOAS_SET = 1;
  /** Compat IOAS operation: forget the compat IOAS. */
  public static final int IOMMU_VFIO_IOAS_CLEAR = 2;
}
