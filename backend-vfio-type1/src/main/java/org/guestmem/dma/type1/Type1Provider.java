package org.guestmem.dma.type1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.guestmem.dma.backend.DmaOptions;
import org.guestmem.dma.backend.OptionsDmaBackendProvider;
import org.guestmem.spi.DmaBackend;

/**
 * Provider {@code vfio-type1}: a VFIO type1v2 container.
 *
 * <p>Options:
 *
 * <ul>
 *   <li>{@code kernel=auto|real|embedded} (default {@code auto}): {@code auto} takes the real kernel when the
 *       container node exists and a group is known (given, or the only group node in {@code /dev/vfio}), else the
 *       embedded model; {@link org.guestmem.spi.DmaCapabilities#description()} says which and why;
 *   <li>{@code container=PATH} (default {@code /dev/vfio/vfio}), {@code group=PATH} (e.g. {@code /dev/vfio/12}):
 *       the real path's nodes;
 *   <li>embedded model only: {@code dma-entry-limit=N} (default 65535, the kernel's default module parameter),
 *       {@code memlock=BYTES} (RLIMIT_MEMLOCK; default unlimited), {@code lock-cap=true|false} (CAP_IPC_LOCK:
 *       pins are counted but the limit is ignored; default false).
 * </ul>
 */
public final class Type1Provider extends OptionsDmaBackendProvider {
  /** The provider name. */
  public static final String NAME = "vfio-type1";
  static final String DEFAULT_CONTAINER = "/dev/vfio/vfio";

  /** Called by {@link java.util.ServiceLoader}. */
  public Type1Provider() {
    super(NAME, Set.of("container", "group", "dma-entry-limit", "memlock", "lock-cap"));
  }

  @Override
  protected DmaBackend open(DmaOptions o) {
    String containerPath = o.string("container", DEFAULT_CONTAINER);
    String group = o.string("group", null);
    boolean containerPresent = Files.exists(Path.of(containerPath));
    if (group == null && containerPresent) {
      group = onlyGroupNode(Path.of(containerPath).getParent());
    }
    String unavailable = !containerPresent ? containerPath + " does not exist (is vfio_iommu_type1 loaded, or is "
        + "/dev/vfio/vfio provided by iommufd?)"
        : group == null ? "no group=/dev/vfio/N given and no single group node found next to " + containerPath : null;
    DmaOptions.KernelChoice kernel = o.chooseKernel(unavailable, unavailable == null
        ? containerPath + " and group " + group + " present"
        : !containerPresent ? containerPath + " absent" : "no group given and none found in /dev/vfio");
    if (kernel.real()) {
      o.embeddedOnly("dma-entry-limit", Type1Backend.ENTRY_LIMIT_SETTING);
      o.embeddedOnly("memlock", "the process's RLIMIT_MEMLOCK");
      o.embeddedOnly("lock-cap", "the process's CAP_IPC_LOCK");
      return new Type1Backend(NAME, new LinuxType1Container(containerPath, group), kernel.why());
    }
    Type1KernelModel model = new Type1KernelModel(
        o.size("dma-entry-limit", Type1KernelModel.DEFAULT_DMA_ENTRY_LIMIT),
        o.size("memlock", Long.MAX_VALUE), o.bool("lock-cap", false), Type1KernelModel.DEFAULT_PGSIZES,
        Type1KernelModel.DEFAULT_IOVA_RANGES);
    return new Type1Backend(NAME, model, kernel.why());
  }

  private static String onlyGroupNode(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> nodes = Files.list(dir)) {
      List<Path> groups = nodes.filter(p -> p.getFileName().toString().matches("\\d+"))
          .collect(Collectors.toList());
      return groups.size() == 1 ? groups.get(0).toString() : null;
    } catch (IOException e) {
      return null;
    }
  }
}
