/**
 * What a DMA back-end is built on: {@link org.guestmem.dma.backend.MappingTable} (mappings kept as runs of uniform
 * entries, with the kernels' entry boundaries), {@link org.guestmem.dma.backend.LedgeredDmaBackend} (a back-end over a
 * {@link org.guestmem.dma.backend.DmaKernel} that keeps a ledger, because a real kernel cannot list its mappings),
 * {@link org.guestmem.dma.backend.RealDmaKernel} (a kernel object behind a file descriptor) and
 * {@link org.guestmem.dma.backend.DmaOptions} (the provider options every back-end accepts, {@code kernel=} first).
 * The built-in VFIO type1 and iommufd back-ends extend these; so can a third party's.
 */
package org.guestmem.dma.backend;
