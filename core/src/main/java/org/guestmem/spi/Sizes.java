package org.guestmem.spi;

import java.util.Objects;

/**
 * Byte sizes as people write them in options, configuration files and trace headers: {@code 4096}, {@code 0x1000},
 * {@code 4K}, {@code 2M}, {@code 64G}, {@code 1T} (binary units).
 */
public final class Sizes {
  private Sizes() {}

  /**
   * Parses a byte size such as {@code 4096}, {@code 4K}, {@code 2M}, {@code 64G} or {@code 1T} (binary units).
   *
   * @param text the size, surrounding blanks allowed
   * @return the size in bytes
   * @throws IllegalArgumentException naming the text if it is not a size or overflows
   */
  public static long parse(String text) {
    Objects.requireNonNull(text, "size text must not be null");
    String t = text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("size '' is empty");
    }
    int shift = 0;
    char unit = Character.toUpperCase(t.charAt(t.length() - 1));
    switch (unit) {
      case 'K' -> shift = 10;
      case 'M' -> shift = 20;
      case 'G' -> shift = 30;
      case 'T' -> shift = 40;
      case 'P' -> shift = 50;
      default -> shift = 0;
    }
    String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
    long value;
    try {
      value = digits.startsWith("0x") || digits.startsWith("0X")
          ? Long.parseUnsignedLong(digits.substring(2), 16)
          : Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size '" + text + "' is not a number with an optional K/M/G/T/P suffix");
    }
    if (value < 0 || (shift > 0 && value > (Long.MAX_VALUE >>> shift))) {
      throw new IllegalArgumentException("size '" + text + "' is negative or does not fit in 63 bits");
    }
    return value << shift;
  }
}
