package org.example.guestmem.dma;

import java.util.Set;
import java.util.function.Consumer;
import org.guestmem.dma.backend.DmaOptions;
import org.guestmem.dma.backend.OptionsDmaBackendProvider;
import org.guestmem.spi.DmaBackend;

/**
 * The provider of {@link LoggingDmaBackend}, named {@code logging}. Options:
 *
 * <ul>
 *   <li>{@code kernel}: every DMA provider accepts it. {@code auto} and {@code embedded} open the in-memory address
 *       space; {@code real} is refused, since this back-end has no kernel to issue ioctls to;
 *   <li>{@code entry-limit}: how many mappings the address space holds before a map fails with ENOSPC (default
 *       65535, type1's default {@code dma_entry_limit});
 *   <li>{@code bytes-per-entry}: what {@code kernelBytesEstimate()} counts per mapping (default 96, one type1
 *       {@code struct vfio_dma}, so that the estimate models type1's kernel cost);
 *   <li>{@code log}: where each call's line goes: {@code logger} (default; {@link System.Logger} named after
 *       {@link LoggingDmaBackend}, level DEBUG), {@code stderr} or {@code none}.
 * </ul>
 *
 * <p>An unknown key or a bad value is refused with {@link IllegalArgumentException} naming it:
 * {@link OptionsDmaBackendProvider} and {@link DmaOptions} do this the same way for every guestmem back-end.
 */
public final class LoggingDmaProvider extends OptionsDmaBackendProvider {
  /** The name configuration selects this back-end by. */
  public static final String NAME = "logging";
  /** Option: the entry limit. */
  public static final String ENTRY_LIMIT = "entry-limit";
  /** Option: kernel bytes counted per mapping. */
  public static final String BYTES_PER_ENTRY = "bytes-per-entry";
  /** Option: where the log lines go. */
  public static final String LOG = "log";

  /** For {@link java.util.ServiceLoader}. */
  public LoggingDmaProvider() {
    super(NAME, Set.of(ENTRY_LIMIT, BYTES_PER_ENTRY, LOG));
  }

  @Override
  protected DmaBackend open(DmaOptions parsed) {
    DmaOptions.KernelChoice choice = parsed.chooseKernel("this back-end has no kernel to issue ioctls to",
        "no kernel here, the embedded in-memory address space");
    long entryLimit = atLeastOne(parsed, ENTRY_LIMIT, 65_535);
    long bytesPerEntry = atLeastOne(parsed, BYTES_PER_ENTRY, 96);
    return new LoggingDmaBackend(choice.why(), entryLimit, bytesPerEntry, sink(parsed.string(LOG, "logger")));
  }

  private static long atLeastOne(DmaOptions parsed, String key, long fallback) {
    long value = parsed.size(key, fallback);
    if (value < 1) {
      throw new IllegalArgumentException(NAME + " option " + key + "=" + value + " must be at least 1");
    }
    return value;
  }

  private static Consumer<String> sink(String where) {
    switch (where) {
      case "logger":
        System.Logger logger = System.getLogger(LoggingDmaBackend.class.getName());
        return line -> logger.log(System.Logger.Level.DEBUG, line);
      case "stderr":
        return System.err::println;
      case "none":
        return line -> {};
      default:
        throw new IllegalArgumentException(NAME + " option " + LOG + "='" + where
            + "' must be one of logger, stderr, none");
    }
  }
}
