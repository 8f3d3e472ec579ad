package org.guestmem.store.intervaltree;

/**
 * Arrays of unsigned fixed-width fields packed end to end in {@code long[]} words: field {@code j} of width
 * {@code w} (1 to 64 bits) occupies bits {@code [j * w, (j + 1) * w)}, low bits first. Run leaves keep their flip
 * offsets this way, in ascending order.
 */
final class PackedFields {
  private PackedFields() {}

  /** Field {@code j} of width {@code w}. */
  static long field(long[] d, int w, int j) {
    long bit = (long) j * w;
    int word = (int) (bit >>> 6);
    int off = (int) bit & 63;
    // Branch-free, as the searches read fields at unpredictable places: the next word (or this one again at the
    // end of the array, whose high bits the mask then drops) supplies the bits past this word; shifting by 1 then
    // 63 - off is a shift by 64 - off that yields zero when off is 0.
    long high = d[Math.min(word + 1, d.length - 1)];
    long v = d[word] >>> off | (high << 1) << (63 - off);
    return v & (-1L >>> (64 - w));
  }

  /** Overwrites field {@code j} (whatever its bits held) with {@code v}. */
  static void setField(long[] d, int w, int j, long v) {
    writeBits(d, (long) j * w, w, v);
  }

  /** Writes {@code v} into field {@code j}, whose bits are zero. */
  static void putField(long[] d, int w, int j, long v) {
    orBits(d, (long) j * w, w, v);
  }

  /**
   * {@code lo} plus the number of fields in {@code [lo, hi)} at or below {@code o}, {@code lo < hi}; the fields are
   * ascending.
   */
  static int search(long[] d, int w, int lo, int hi, long o) {
    // Branch-free: the comparisons are unpredictable.
    int len = hi - lo;
    while (len > 1) {
      int half = len >>> 1;
      lo = field(d, w, lo + half) <= o ? lo + half : lo;
      len -= half;
    }
    return field(d, w, lo) <= o ? lo + 1 : lo;
  }

  /**
   * Shifts the bits of {@code d} from {@code a} up by {@code s} (those shifted past its end must be zero); bits
   * below {@code a} are kept, bits {@code [a, a + s)} are left undefined. Word-wise, as a funnel shift.
   */
  static void shiftUp(long[] d, long a, long s) {
    int q = (int) (s >>> 6);
    int t = (int) s & 63;
    int lo = (int) ((a + s) >>> 6);
    if (lo >= d.length) {
      return; // nothing above a: the new bits end the array
    }
    long orig = d[lo];
    if (q == 0) {
      // The usual case (two fields of under 32 bits): each word takes its own bits and its lower neighbour's.
      for (int j = d.length - 1; j > 0 && j >= lo; j--) {
        d[j] = d[j] << t | d[j - 1] >>> (64 - t);
      }
      if (lo == 0) {
        d[0] <<= t;
      }
    } else {
      for (int j = d.length - 1; j >= lo; j--) {
        long v = d[j - q] << t;
        if (t != 0 && j - q > 0) {
          v |= d[j - q - 1] >>> (64 - t);
        }
        d[j] = v;
      }
    }
    if (a >>> 6 == lo) {
      long keep = (1L << a) - 1;
      d[lo] = orig & keep | d[lo] & ~keep;
    }
  }

  /** Shifts the bits of {@code d} above {@code a + s} down by {@code s}, over {@code [a, a + s)}; zeros come in. */
  static void shiftDown(long[] d, long a, long s) {
    int q = (int) (s >>> 6);
    int t = (int) s & 63;
    int lo = (int) (a >>> 6);
    int len = d.length;
    long orig = d[lo];
    if (q == 0) {
      for (int j = lo; j < len - 1; j++) {
        d[j] = d[j] >>> t | d[j + 1] << (64 - t);
      }
      d[len - 1] >>>= t;
    } else {
      for (int j = lo; j < len; j++) {
        long v = j + q < len ? d[j + q] >>> t : 0;
        if (t != 0 && j + q + 1 < len) {
          v |= d[j + q + 1] << (64 - t);
        }
        d[j] = v;
      }
    }
    long keep = (1L << a) - 1;
    d[lo] = orig & keep | d[lo] & ~keep;
  }

  /** Copies {@code len} bits from {@code src} at bit {@code sp} into zeroed bits of {@code dst} at {@code dp}. */
  static void copyBits(long[] src, long sp, long[] dst, long dp, long len) {
    while (len > 0) {
      int n = (int) Math.min(64, len);
      orBits(dst, dp, n, readBits(src, sp, n));
      sp += n;
      dp += n;
      len -= n;
    }
  }

  private static long readBits(long[] d, long pos, int n) {
    int word = (int) (pos >>> 6);
    int off = (int) pos & 63;
    long v = d[word] >>> off;
    if (off + n > 64) {
      v |= d[word + 1] << (64 - off);
    }
    return n == 64 ? v : v & ((1L << n) - 1);
  }

  /** Overwrites the {@code n} bits at {@code pos} with the low {@code n} bits of {@code v}. */
  private static void writeBits(long[] d, long pos, int n, long v) {
    int word = (int) (pos >>> 6);
    int off = (int) pos & 63;
    long mask = -1L >>> (64 - n);
    d[word] = d[word] & ~(mask << off) | v << off;
    if (off + n > 64) {
      d[word + 1] = d[word + 1] & ~(mask >>> (64 - off)) | v >>> (64 - off);
    }
  }

  /** ORs {@code v}, at most {@code n} bits wide, into the zeroed {@code n} bits at {@code pos}. */
  private static void orBits(long[] d, long pos, int n, long v) {
    int word = (int) (pos >>> 6);
    int off = (int) pos & 63;
    d[word] |= v << off;
    if (off + n > 64) {
      d[word + 1] |= v >>> (64 - off);
    }
  }
}
