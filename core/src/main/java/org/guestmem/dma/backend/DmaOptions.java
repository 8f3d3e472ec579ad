package org.guestmem.dma.backend;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.guestmem.spi.Sizes;

/**
 * The options a {@link org.guestmem.spi.DmaBackendProvider} was opened with, checked against the keys it knows: an
 * unknown key is rejected naming it and listing the known ones, and a bad value names the key, the value and the
 * rule. Shared by the back-end modules so that every provider parses {@code kernel=auto|real|embedded} the same way.
 */
public final class DmaOptions {
  private static final System.Logger LOG = System.getLogger(DmaOptions.class.getName());

  /** Where ioctls go. */
  public enum KernelPath {
    /** The real device nodes when present, else the embedded model. */
    AUTO,
    /** The real kernel; failing when the device nodes are absent. */
    REAL,
    /** The embedded kernel model, whatever the machine has. */
    EMBEDDED
  }

  /** The key every provider accepts. */
  public static final String KERNEL = "kernel";

  private final String provider;
  private final Map<String, String> values;

  private DmaOptions(String provider, Map<String, String> values) {
    this.provider = provider;
    this.values = values;
  }

  /**
   * Checks {@code options} against {@code known} (plus {@link #KERNEL}).
   *
   * @param provider the provider name, for messages
   * @param options the options as given
   * @param known the keys the provider takes besides {@code kernel}
   * @return the checked options
   * @throws IllegalArgumentException naming every unknown key and listing the known ones
   */
  public static DmaOptions parse(String provider, Map<String, String> options, Set<String> known) {
    Set<String> allowed = new TreeSet<>(known);
    allowed.add(KERNEL);
    TreeSet<String> unknown = new TreeSet<>();
    for (String key : options.keySet()) {
      if (!allowed.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(String.format("unknown %s option%s %s; known options: %s", provider,
          unknown.size() == 1 ? "" : "s", unknown, allowed));
    }
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getValue() == null) {
        throw new IllegalArgumentException(provider + " option " + e.getKey() + " has no value");
      }
    }
    DmaOptions parsed = new DmaOptions(provider, new TreeMap<>(options));
    parsed.kernel();
    return parsed;
  }

  /**
   * {@return the {@code kernel} option, {@link KernelPath#AUTO} when absent}
   *
   * @throws IllegalArgumentException if the value is not {@code auto}, {@code real} or {@code embedded}
   */
  public KernelPath kernel() {
    String v = values.getOrDefault(KERNEL, "auto");
    switch (v) {
      case "auto":
        return KernelPath.AUTO;
      case "real":
        return KernelPath.REAL;
      case "embedded":
        return KernelPath.EMBEDDED;
      default:
        throw new IllegalArgumentException(
            provider + " option kernel='" + v + "' must be one of auto, real, embedded");
    }
  }

  /**
   * Which kernel path an open takes, and why.
   *
   * @param real whether ioctls go to the real kernel (else to the embedded model)
   * @param why the reason, for {@link org.guestmem.spi.DmaCapabilities#description()}: {@code kernel=real},
   *     {@code kernel=embedded}, or {@code kernel=auto: } and what was found
   */
  public record KernelChoice(boolean real, String why) {}

  /**
   * Chooses the kernel path from the {@code kernel} option: {@code real} needs the real kernel's device nodes,
   * {@code embedded} takes the model, {@code auto} takes the real kernel exactly when its nodes are there.
   *
   * <p>The choice is logged ({@link System.Logger} named after this class): INFO, WARNING when {@code auto} falls
   * back to the embedded model, ERROR when {@code kernel=real} is refused. A production configuration that must not
   * fall back sets {@code kernel=real}, which fails the open instead.
   *
   * @param unavailable null when the real kernel's nodes are there; else what is missing, said after
   *     {@code "<provider> kernel=real: "} (e.g. {@code "/dev/iommu does not exist"})
   * @param found what {@code auto} found, said after {@code "kernel=auto: "} (e.g. {@code "/dev/iommu absent"})
   * @return the path taken and why
   * @throws IllegalArgumentException for {@code kernel=real} when {@code unavailable} is not null
   */
  public KernelChoice chooseKernel(String unavailable, String found) {
    KernelChoice choice = switch (kernel()) {
      case REAL -> {
        if (unavailable != null) {
          LOG.log(System.Logger.Level.ERROR, "{0} kernel=real refused: {1}", provider, unavailable);
          throw new IllegalArgumentException(provider + " kernel=real: " + unavailable);
        }
        yield new KernelChoice(true, "kernel=real");
      }
      case EMBEDDED -> new KernelChoice(false, "kernel=embedded");
      case AUTO -> new KernelChoice(unavailable == null, "kernel=auto: " + found);
    };
    // auto may take the embedded model where the real kernel was meant: say so where operators look.
    LOG.log(kernel() == KernelPath.AUTO && !choice.real() ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
        "{0}: {1} ({2})", provider, choice.real() ? "real kernel" : "embedded kernel model", choice.why());
    return choice;
  }

  /**
   * {@return whether {@code key} was given}
   *
   * @param key the option key
   */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /**
   * {@return the raw value of {@code key}, or {@code fallback}}
   *
   * @param key the option key
   * @param fallback the value when the key is absent
   */
  public String string(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  /**
   * {@return a size or count ({@code 65535}, {@code 0x1000}, {@code 64K}, {@code 1G}), or {@code fallback}}
   *
   * @param key the option key
   * @param fallback the value when the key is absent
   * @throws IllegalArgumentException naming the key and the value if it is not a non-negative size
   */
  public long size(String key, long fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      long n = Sizes.parse(v);
      if (n < 0) {
        throw new IllegalArgumentException("negative");
      }
      return n;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(String.format("%s option %s='%s' must be a non-negative size or count "
          + "(e.g. 65535, 0x1000, 64K, 1G)", provider, key, v), e);
    }
  }

  /**
   * {@return {@code true}/{@code false} (also {@code on}/{@code off}, {@code yes}/{@code no}, {@code 1}/{@code 0}), or
   * {@code fallback}}
   *
   * @param key the option key
   * @param fallback the value when the key is absent
   * @throws IllegalArgumentException naming the key and the value if it is not a boolean
   */
  public boolean bool(String key, boolean fallback) {
    String v = values.get(key);
    if (v == null) {
      return fallback;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
      case "on":
      case "yes":
      case "1":
        return true;
      case "false":
      case "off":
      case "no":
      case "0":
        return false;
      default:
        throw new IllegalArgumentException(
            String.format("%s option %s='%s' must be true or false", provider, key, v));
    }
  }

  /**
   * Rejects {@code key} on the real kernel path, where the kernel decides it instead.
   *
   * @param key the option key
   * @param realSetting where the real kernel's setting lives, e.g. a module parameter
   * @throws IllegalArgumentException saying where the real setting lives
   */
  public void embeddedOnly(String key, String realSetting) {
    if (has(key)) {
      throw new IllegalArgumentException(String.format(
          "%s option %s applies to the embedded kernel model only; on the real kernel it is %s", provider, key,
          realSetting));
    }
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
