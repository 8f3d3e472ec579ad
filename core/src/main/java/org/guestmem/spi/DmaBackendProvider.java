package org.guestmem.spi;

import java.util.Map;

/**
 * Opens {@link DmaBackend}s of one kind. Found with {@link java.util.ServiceLoader}; registered both in
 * {@code META-INF/services/org.guestmem.spi.DmaBackendProvider} and in {@code module-info} with {@code provides}.
 *
 * <p>The option {@code kernel} is {@code auto} (real ioctls when the device nodes exist, else the embedded model;
 * the back-end's {@link DmaCapabilities#description()} says which), {@code real} or {@code embedded}.
 */
public interface DmaBackendProvider {

  /** The name configuration selects this provider by, e.g. {@code "vfio-type1"} or {@code "iommufd"}. */
  String name();

  /**
   * Opens a new address space.
   *
   * @param options provider-specific settings; unknown keys are rejected with {@link IllegalArgumentException}
   * @throws DmaException if the kernel refuses to set it up
   */
  DmaBackend open(Map<String, String> options);
}
