package org.guestmem.spi;

import java.util.Map;

/**
 * Opens {@link DmaBackend}s of one kind. Found with {@link java.util.ServiceLoader}; registered both in
 * {@code META-INF/services/org.guestmem.spi.DmaBackendProvider} and in {@code module-info} with {@code provides}, by
 * a public class with a public no-argument constructor.
 *
 * <p>What every provider and the back-ends it opens must do (the conformance kit, {@code DmaBackendContract} and
 * {@code DmaMappingListenerContract} in core's test-jar, checks it):
 *
 * <ul>
 *   <li><b>The {@code kernel} option.</b> Every provider accepts {@code kernel=auto|real|embedded}: configuration
 *       ({@code guestmem.dma.kernel}) and the command line ({@code --kernel}) always pass it. {@code auto} takes the
 *       real kernel when its device nodes exist and the embedded model (or, for a back-end with no kernel, its
 *       in-memory state) otherwise; {@code real} fails with {@link IllegalArgumentException} saying what is missing
 *       when there is no real kernel; {@code embedded} never touches the kernel. Other keys are the provider's own;
 *       an unknown key is refused naming it and listing the known ones.
 *       {@link org.guestmem.dma.backend.DmaOptions#parse} and {@link org.guestmem.dma.backend.DmaOptions#chooseKernel} do all of
 *       this.
 *   <li><b>The description.</b> {@link DmaCapabilities#description()} names the provider and contains the word
 *       {@code real} when {@link DmaCapabilities#realKernel()} is true and {@code embedded} when it is false, and
 *       says why that path was taken ({@link org.guestmem.dma.backend.LedgeredDmaBackend} builds it as
 *       {@code "name: kernel path (why)"}).
 *   <li><b>The kernel's semantics and errno values</b>, as {@link DmaBackend} describes them, with every failure a
 *       {@link DmaException} whose message names the IOVA in hex; {@link DmaCapabilities} consistent with them
 *       (at least one usable IOVA range, a smallest page of at most 4 KiB, {@code kernelBytesPerEntry} positive,
 *       {@code cutLimitation} empty exactly when it can cut).
 *   <li><b>Buffers.</b> The contracts map user memory they allocate themselves (real anonymous {@code mmap} memory,
 *       through {@code DmaContractSuite} in linux-uapi's test-jar), so that a back-end on a real kernel can pin
 *       it; a back-end must accept any page-aligned address and must not assume it owns the memory.
 * </ul>
 *
 * <p>{@code examples/third-party-backend} in the repository is a complete provider built this way.
 */
public interface DmaBackendProvider {

  /**
   * The name configuration selects this provider by, e.g. {@code "vfio-type1"} or {@code "iommufd"}; unique among
   * the providers on the class path.
   *
   * @return the name
   */
  String name();

  /**
   * Opens a new address space.
   *
   * @param options the provider's settings, {@code kernel} among them (absent means {@code auto}); never null
   * @return a new, empty address space, which the caller closes
   * @throws IllegalArgumentException naming the key for an unknown option or a bad value, and for
   *     {@code kernel=real} when there is no real kernel
   * @throws DmaException if the kernel refuses to set it up
   */
  DmaBackend open(Map<String, String> options);
}
