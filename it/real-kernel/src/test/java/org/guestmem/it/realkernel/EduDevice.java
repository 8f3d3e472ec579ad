package org.guestmem.it.realkernel;

import com.sun.jna.Memory;

/**
 * QEMU's {@code edu} teaching device (PCI 1234:11e8) driven from user space through a VFIO device fd: its BAR0
 * registers, read and written with {@code pread}/{@code pwrite} at the region offset the kernel reports, and DMA
 * between guest IOVAs and its internal 4 KiB buffer.
 *
 * <p>Device facts this relies on (QEMU hw/misc/edu.c, and pitfalls seen under QEMU 7.2): the DMA buffer is not
 * reachable through MMIO, so data is checked by a round trip through memory; DMA addresses are masked to
 * 28 bits, so IOVAs must lie under 256 MiB; a transfer that ends exactly at the end of the 4 KiB buffer aborts QEMU,
 * so transfers are at most 4095 bytes; a DMA blocked by the IOMMU sets no error bit, it only leaves the data
 * unchanged (and the guest kernel logs a DMAR fault).
 */
final class EduDevice {
  static final long VFIO_DEVICE_GET_REGION_INFO = 0x3B6C;
  static final int BAR0 = 0;
  static final int CONFIG_REGION = 7;
  static final long IDENT = 0x00;
  static final long LIVENESS = 0x04;
  static final long DMA_SOURCE = 0x80;
  static final long DMA_DESTINATION = 0x88;
  static final long DMA_COUNT = 0x90;
  static final long DMA_COMMAND = 0x98;
  static final long DMA_START = 1;
  static final long DMA_TO_RAM = 2;
  /** Where edu's DMA buffer appears in its own address space. */
  static final long BUFFER = 0x40000;
  /** The largest safe transfer: a DMA ending exactly at the buffer's end aborts QEMU 7.2's edu. */
  static final int MAX_TRANSFER = 4095;
  /** edu masks DMA addresses to 28 bits. */
  static final long DMA_LIMIT = 1L << 28;
  private static final long PCI_COMMAND = 0x04;
  private static final int PCI_COMMAND_MEMORY = 0x2;
  private static final int PCI_COMMAND_MASTER = 0x4;

  private final int deviceFd;
  private final long bar0;

  /** Takes a VFIO device fd (bound and attached); enables memory decoding and bus mastering. */
  EduDevice(int deviceFd) {
    this.deviceFd = deviceFd;
    this.bar0 = regionOffset(BAR0);
    long config = regionOffset(CONFIG_REGION);
    int command = (int) Libc.pread(deviceFd, 2, config + PCI_COMMAND);
    Libc.pwrite(deviceFd, 2, config + PCI_COMMAND, command | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
  }

  /** The identification register: 0xRRmm00ed (release, minor, major). */
  int ident() {
    return (int) Libc.pread(deviceFd, 4, bar0 + IDENT);
  }

  /** Writes {@code value} to the liveness register and returns what the device answers (its complement). */
  int liveness(int value) {
    Libc.pwrite(deviceFd, 4, bar0 + LIVENESS, value & 0xffffffffL);
    return (int) Libc.pread(deviceFd, 4, bar0 + LIVENESS);
  }

  /** DMA {@code length} bytes from guest IOVA {@code iova} into the device buffer at {@code offset}; waits. */
  void dmaFromMemory(long iova, int offset, int length) {
    dma(iova, BUFFER + offset, length, DMA_START, offset);
  }

  /** DMA {@code length} bytes from the device buffer at {@code offset} to guest IOVA {@code iova}; waits. */
  void dmaToMemory(int offset, long iova, int length) {
    dma(BUFFER + offset, iova, length, DMA_START | DMA_TO_RAM, offset);
  }

  private void dma(long source, long destination, int length, long command, int offset) {
    checkTransfer(offset, length);
    long iova = (command & DMA_TO_RAM) != 0 ? destination : source;
    if (iova < 0 || iova + length > DMA_LIMIT) {
      throw new IllegalArgumentException(String.format(
          "edu DMA at IOVA 0x%x + %d must lie under 256 MiB: edu masks DMA addresses to 28 bits", iova, length));
    }
    Libc.pwrite(deviceFd, 8, bar0 + DMA_SOURCE, source);
    Libc.pwrite(deviceFd, 8, bar0 + DMA_DESTINATION, destination);
    Libc.pwrite(deviceFd, 8, bar0 + DMA_COUNT, length);
    Libc.pwrite(deviceFd, 8, bar0 + DMA_COMMAND, command);
    // edu runs the transfer from a 100 ms timer and clears the start bit when done.
    long deadline = System.nanoTime() + 10_000_000_000L;
    while ((Libc.pread(deviceFd, 8, bar0 + DMA_COMMAND) & DMA_START) != 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("edu DMA did not complete in 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for edu DMA", e);
      }
    }
  }

  private static void checkTransfer(int offset, int length) {
    if (offset < 0 || length <= 0 || offset + length > MAX_TRANSFER) {
      throw new IllegalArgumentException(String.format(
          "edu transfer [%d, %d) must be non-empty and end by byte %d of its buffer (QEMU aborts on a DMA that "
              + "ends at the buffer's end)", offset, offset + length, MAX_TRANSFER));
    }
  }

  private long regionOffset(int index) {
    Memory info = Libc.struct(32);
    info.setInt(8, index);
    Libc.ioctl(deviceFd, "VFIO_DEVICE_GET_REGION_INFO", VFIO_DEVICE_GET_REGION_INFO, info);
    if (info.getLong(16) == 0) {
      throw new IllegalStateException("edu region " + index + " has size 0");
    }
    return info.getLong(24);
  }
}
