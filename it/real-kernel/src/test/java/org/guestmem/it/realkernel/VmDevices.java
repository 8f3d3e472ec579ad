package org.guestmem.it.realkernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the VM's devices are, as guest-job.sh found them after binding edu to vfio-pci: the PCI address, the VFIO
 * group node and the vfio device cdev. A missing property or node fails the test: these tests only run inside the
 * VM, where a missing device means the environment is broken, never that the test does not apply.
 */
final class VmDevices {
  static final String CONTAINER = "/dev/vfio/vfio";
  static final String IOMMUFD = "/dev/iommu";

  private VmDevices() {}

  /** The edu device's PCI address, e.g. {@code 0000:00:03.0}. */
  static String edu() {
    return property("guestmem.test.vm.edu", false);
  }

  /** The VFIO group node of the edu device, e.g. {@code /dev/vfio/1}. */
  static String group() {
    return property("guestmem.test.vm.group", true);
  }

  /** The edu device's vfio cdev, e.g. {@code /dev/vfio/devices/vfio0}. */
  static String cdev() {
    return property("guestmem.test.vm.cdev", true);
  }

  /** Checks that a device node exists and returns it. */
  static String node(String path) {
    if (!Files.exists(Path.of(path))) {
      fail(path + " does not exist: this test must run in the real-kernel VM (it/real-kernel/run.sh)");
    }
    return path;
  }

  private static String property(String key, boolean isNode) {
    String value = System.getProperty(key);
    if (value == null || value.isEmpty()) {
      fail("system property " + key + " is not set: this test must run in the real-kernel VM (it/real-kernel/run.sh)");
    }
    return isNode ? node(value) : value;
  }
}
