package org.guestmem.it.realkernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest kernel's log, read with {@code dmesg}, for the Intel IOMMU's DMA remapping faults: edu has no DMA error
 * bit, so a DMA the vIOMMU blocked shows only as unchanged data and a line such as
 * {@code DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x105000 [fault reason 0x05] PTE Write
 * access is not set}. The kernel rate-limits these lines, so callers space the faults they expect.
 */
final class KernelLog {
  private static final Pattern FAULT = Pattern.compile(
      "DMAR: \\[DMA (Read|Write)[^\\]]*\\] Request device \\[[^\\]]*\\] fault addr 0x([0-9a-fA-F]+).*");

  /** One DMAR fault line. */
  record Fault(String access, long address, String line) {}

  private KernelLog() {}

  /** All DMAR fault lines logged so far. */
  static List<Fault> faults() {
    List<Fault> out = new ArrayList<>();
    for (String line : dmesg()) {
      Matcher m = FAULT.matcher(line);
      if (m.find()) {
        out.add(new Fault(m.group(1), Long.parseUnsignedLong(m.group(2), 16), line.trim()));
      }
    }
    return out;
  }

  /**
   * Waits up to {@code millis} for a fault line beyond the first {@code seen} with this access and an address in
   * the 4 KiB page of {@code iova}; returns it, or null.
   */
  static Fault awaitFault(int seen, String access, long iova, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    do {
      List<Fault> all = faults();
      for (Fault f : all.subList(Math.min(seen, all.size()), all.size())) {
        if (f.access().equals(access) && (f.address() >>> 12) == (iova >>> 12)) {
          return f;
        }
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return null;
  }

  private static List<String> dmesg() {
    try {
      Process p = new ProcessBuilder("dmesg").redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("dmesg failed: " + text);
      }
      return text.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run dmesg", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
