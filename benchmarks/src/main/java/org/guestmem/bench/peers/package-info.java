/**
 * The peer comparison: the same operation stream replayed on guestmem's stores and on the structures the kernel and
 * QEMU run (the kernel's maple tree and xarray, compiled from the kernel's own source with its user-space test
 * harness, and QEMU's RamBlockAttributes bitmap algorithm), built and run as native programs from
 * {@code benchmarks/native}.
 */
package org.guestmem.bench.peers;
