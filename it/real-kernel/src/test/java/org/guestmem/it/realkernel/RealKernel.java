package org.guestmem.it.realkernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.guestmem.dma.iommufd.IommufdProvider;
import org.guestmem.dma.type1.Type1Provider;
import org.guestmem.spi.DmaBackend;

/**
 * How the real-kernel suites open back-ends: the same providers and options an application uses, with
 * {@code kernel=real} so that a missing device node is an error rather than a silent fall-back to the embedded model,
 * and the embedded counterparts the differential test compares them with.
 */
final class RealKernel {
  static final String ENTRY_LIMIT = "/sys/module/vfio_iommu_type1/parameters/dma_entry_limit";
  /** The kernel's default {@code dma_entry_limit} (U16_MAX). */
  static final long DEFAULT_ENTRY_LIMIT = 65_535;

  private RealKernel() {}

  /** VFIO type1v2 on the edu device's group. */
  static DmaBackend type1() {
    return new Type1Provider().open(Map.of("kernel", "real", "group", VmDevices.group()));
  }

  /** An iommufd IOAS, with the edu cdev bound and attached if {@code device}, prepared for cuts if {@code cut}. */
  static DmaBackend iommufd(boolean device, boolean cut) {
    Map<String, String> options = new HashMap<>();
    options.put("kernel", "real");
    options.put("cut", Boolean.toString(cut));
    if (device) {
      options.put("device", VmDevices.cdev());
    }
    return new IommufdProvider().open(options);
  }

  /**
   * An iommufd IOAS with the edu cdev attached that maps regions backed by a file with
   * {@code IOMMU_IOAS_MAP_FILE} ({@code map-file=true}), prepared for cuts if {@code cut}.
   */
  static DmaBackend iommufdFile(boolean cut) {
    return new IommufdProvider().open(Map.of("kernel", "real", "cut", Boolean.toString(cut), "device",
        VmDevices.cdev(), "map-file", "true"));
  }

  /** {@code backend}, once asserted to run on the real kernel: a contract suite must not pass on the model. */
  static DmaBackend real(DmaBackend backend) {
    assertTrue(backend.capabilities().realKernel(), backend.capabilities().description());
    return backend;
  }

  /** The embedded type1v2 model with the entry limit the real container was set up with. */
  static DmaBackend type1Model(long entryLimit) {
    return new Type1Provider().open(Map.of("kernel", "embedded", "dma-entry-limit", Long.toString(entryLimit)));
  }

  /** The embedded iommufd model: a domain exactly when the real IOAS has the device attached. */
  static DmaBackend iommufdModel(boolean device, boolean cut) {
    return new IommufdProvider().open(Map.of("kernel", "embedded", "domain", Boolean.toString(device),
        "cut", Boolean.toString(cut)));
  }

  /**
   * Sets {@code vfio_iommu_type1.dma_entry_limit}, which type1 reads when a container is set up
   * ({@code VFIO_SET_IOMMU}), and checks that the kernel took it.
   */
  static void setEntryLimit(long limit) {
    try {
      Files.writeString(Path.of(ENTRY_LIMIT), Long.toString(limit));
      assertEquals(Long.toString(limit), Files.readString(Path.of(ENTRY_LIMIT)).trim(), ENTRY_LIMIT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set " + ENTRY_LIMIT + " (root in the real-kernel VM needed)", e);
    }
  }
}
