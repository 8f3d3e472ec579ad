package org.guestmem.dma.iommufd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.guestmem.dma.backend.DmaOptions;
import org.guestmem.dma.backend.OptionsDmaBackendProvider;
import org.guestmem.linux.iommufd.Iommufd;
import org.guestmem.spi.DmaBackend;

/**
 * Provider {@code iommufd}: one IOAS on an iommufd.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code kernel=auto|real|embedded} (default {@code auto}): {@code auto} takes the real kernel when the iommufd
 *       node exists, else the embedded model, and {@link org.guestmem.spi.DmaCapabilities#description()} says which
 *       and why;
 *   <li>{@code cut=true|false} (default false, the kernel's default): set {@code IOMMU_OPTION HUGE_PAGES=0} on the
 *       IOAS before the first map and make it the compat IOAS, so that {@link DmaBackend#cut} works (every page is
 *       then mapped with its own IOMMU entry);
 *   <li>{@code map-file=true|false} (default false): regions that name a backing file (a memfd) are mapped with
 *       {@code IOMMU_IOAS_MAP_FILE} by file offset instead of by user address ({@link DmaBackend#mapFile}); the real
 *       kernel needs Linux 6.13 or later, checked when the back-end opens;
 *   <li>{@code iommu=PATH} (default {@code /dev/iommu}); {@code device=PATH} (real only, e.g.
 *       {@code /dev/vfio/devices/vfio0}): a vfio cdev to bind to the iommufd and attach to the IOAS, without which
 *       the real kernel pins nothing;
 *   <li>embedded model only: {@code domain=true|false} (default true: model a device attached behind VT-d, so maps
 *       pin and IOVAs are 4 KiB-aligned outside the interrupt window), {@code memlock=BYTES} (default unlimited),
 *       {@code lock-cap=true|false} (default false).
 * </ul>
 */
public final class IommufdProvider extends OptionsDmaBackendProvider {
  /** The provider name. */
  public static final String NAME = "iommufd";
  static final String DEFAULT_IOMMU = "/dev/iommu";

  /** Called by {@link java.util.ServiceLoader}. */
  public IommufdProvider() {
    super(NAME, Set.of("cut", "map-file", "iommu", "device", "domain", "memlock", "lock-cap"));
  }

  @Override
  protected DmaBackend open(DmaOptions o) {
    String iommu = o.string("iommu", DEFAULT_IOMMU);
    boolean cut = o.bool("cut", false);
    boolean mapFile = o.bool("map-file", false);
    boolean present = Files.exists(Path.of(iommu));
    DmaOptions.KernelChoice kernel = o.chooseKernel(present ? null : iommu + " does not exist "
        + "(CONFIG_IOMMUFD, and is the iommufd module loaded?)", iommu + (present ? " present" : " absent"));
    if (kernel.real()) {
      o.embeddedOnly("domain", "whether device= names a vfio cdev to attach");
      o.embeddedOnly("memlock", "the process's RLIMIT_MEMLOCK");
      o.embeddedOnly("lock-cap", "the process's CAP_IPC_LOCK");
      return new IommufdBackend(NAME, new LinuxIommufd(iommu, o.string("device", null), cut, mapFile), kernel.why(),
          mapFile);
    }
    if (o.has("device")) {
      throw new IllegalArgumentException(NAME + " option device applies to the real kernel only; the embedded model "
          + "takes domain=true|false instead");
    }
    IommufdKernelModel model = new IommufdKernelModel(o.bool("domain", true), o.size("memlock", Long.MAX_VALUE),
        o.bool("lock-cap", false));
    if (cut) {
      model.setOption(Iommufd.IOMMU_OPTION_HUGE_PAGES, 1, 0);
      model.setVfioIoas(1);
    }
    return new IommufdBackend(NAME, model, kernel.why(), mapFile);
  }
}
