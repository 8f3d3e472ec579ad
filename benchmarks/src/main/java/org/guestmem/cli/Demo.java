package org.guestmem.cli;

import java.util.ArrayList;
import java.util.List;
import org.guestmem.config.GuestmemConfig;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionResult;
import org.guestmem.region.RamDiscardListener;

/**
 * A small end-to-end run on the embedded defaults: builds a region from configuration, registers a listener,
 * converts memory the way a booting confidential guest does, and prints what happened.
 *
 * <p>Usage: {@code Demo [--size SIZE] [--store NAME] [--granularity SIZE]}; the {@code guestmem.*} system properties
 * are read first.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    try {
      System.exit(run(args));
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("guestmem: " + e.getMessage());
      System.exit(2);
    }
  }

  static int run(String[] args) {
    GuestmemConfig.Builder config = GuestmemConfig.builder().apply(System.getProperties(), false);
    long size = 64L << 30;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (arg) {
        case "--size" -> size = GuestmemConfig.parseSize(need(arg, value));
        case "--store" -> config.store(need(arg, value));
        case "--granularity" -> config.granularity(GuestmemConfig.parseSize(need(arg, value)));
        default -> throw new IllegalArgumentException("unknown argument '" + arg
            + "'; usage: [--size SIZE] [--store NAME] [--granularity SIZE]");
      }
      i++;
    }
    GuestmemConfig cfg = config.build();
    if (size % cfg.granularity() != 0) {
      throw new IllegalArgumentException(String.format(
          "size %d is not a multiple of the granularity %d", size, cfg.granularity()));
    }
    AttributeManager region = cfg.newManager(size, 0, 0);
    System.out.printf("region: %s%n", region);

    List<String> events = new ArrayList<>();
    long[] populated = {0};
    RamDiscardListener printer = new RamDiscardListener() {
      @Override
      public void populate(long offset, long length) {
        populated[0] += length;
        if (events.size() < 8) {
          events.add(String.format("  populate [0x%x, +0x%x)", offset, length));
        }
      }

      @Override
      public void discard(long offset, long length) {
        populated[0] -= length;
        if (events.size() < 8) {
          events.add(String.format("  discard  [0x%x, +0x%x)", offset, length));
        }
      }
    };
    region.registerListener(printer, 0, size);

    // A bounce buffer of 6% of memory (at most 1 GiB) shared in 2 MiB steps, then one 4 KiB page back to private.
    long step = Math.max(2L << 20, cfg.granularity());
    long swiotlb = Math.min(1L << 30, (size * 6 / 100) / step * step);
    long base = size / 2 / step * step;
    long conversions = 0;
    for (long off = base; off < base + swiotlb && off + step <= size; off += step) {
      region.share(off, step);
      conversions++;
    }
    ConversionResult split = region.makePrivate(base, cfg.granularity());
    conversions++;
    System.out.printf("conversions: %d (the last changed %d block, %d run)%n", conversions,
        split.blocksChanged(), split.runsNotified());
    events.forEach(System.out::println);
    System.out.printf("listener sees %d bytes populated; shared=%d private=%d%n", populated[0],
        region.bytesIn(BlockState.SHARED), region.bytesIn(BlockState.PRIVATE));
    System.out.printf("store '%s' retains %d bytes for %d blocks%n", region.storeName(),
        region.storeMemoryBytes(), region.layout().blocks());
    region.unregisterListener(printer);
    System.out.printf("after unregistering, the listener sees %d bytes populated%n", populated[0]);
    return populated[0] == 0 ? 0 : 1;
  }

  private static String need(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
