package org.guestmem.kvm;

import java.util.Locale;
import java.util.Map;
import org.guestmem.spi.MemoryAttributeBackend;
import org.guestmem.spi.MemoryAttributeBackendProvider;

/**
 * Provider {@code guest-memfd}: the embedded model of guest_memfd in-place conversion ({@link GuestMemfdModel}).
 * Option {@code content=unspecified|zero|preserve} (default unspecified) is the content mode of every call.
 */
public final class GuestMemfdProvider implements MemoryAttributeBackendProvider {
  static final String NAME = "guest-memfd";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public MemoryAttributeBackend open(Region region) {
    GuestMemfdModel.Content content = GuestMemfdModel.Content.UNSPECIFIED;
    for (Map.Entry<String, String> e : region.options().entrySet()) {
      if (!e.getKey().equals("content")) {
        throw new IllegalArgumentException("unknown " + NAME + " option '" + e.getKey() + "'; known: content");
      }
      try {
        content = GuestMemfdModel.Content.valueOf(e.getValue().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException(NAME + " option content='" + e.getValue()
            + "' must be unspecified, zero or preserve", bad);
      }
    }
    return new GuestMemfdModel(region, content);
  }
}
