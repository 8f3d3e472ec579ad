package org.guestmem.store.intervaltree;

import static org.guestmem.store.intervaltree.LeafLayout.CHUNK;
import static org.guestmem.store.intervaltree.LeafLayout.CHUNK_WORDS;
import static org.guestmem.store.intervaltree.LeafLayout.DENSE;
import static org.guestmem.store.intervaltree.LeafLayout.MAX_RUN;
import static org.guestmem.store.intervaltree.LeafLayout.MIN_RUN;
import static org.guestmem.store.intervaltree.LeafLayout.SPARSE;

/**
 * Re-encodes a span of leaves: decodes their flips as blocks, changes them, and encodes them again, choosing each
 * leaf's kind by density as Roaring chooses container kinds (a chunk of more than {@value LeafLayout#DENSE} flips
 * becomes a bitmap leaf, one of fewer than {@value LeafLayout#SPARSE} turns back into runs, run leaves hold at most
 * {@value LeafLayout#MAX_RUN} flips and absorb a neighbour below {@value LeafLayout#MIN_RUN}). Only the leaves at the
 * ends of a change are decoded; those in between are dropped, so a range set costs O(log leaves + MAX_RUN) whatever
 * its length.
 */
final class LeafEncoder {
  private LeafEncoder() {}

  /**
   * Sets {@code [lo, hi)} over leaves {@code a..b}, of which only {@code a} and {@code b} may be partly covered
   * (and then are run leaves): the flips of {@code a} before {@code lo} and of {@code b} after {@code hi} are kept,
   * the leaves are re-encoded, and everything in between is dropped.
   */
  static void setRuns(LeafArray leaves, int a, int b, long lo, long hi, int state) {
    long k0 = leaves.key(a);
    long k1 = leaves.end(b);
    int ca = lo > k0 ? leaves.flips(a) : 0;
    int cb = hi < k1 ? leaves.flips(b) : 0;
    long[] buf = new long[ca + cb + MAX_RUN + 8];
    int m = 0;
    int s0;
    if (lo > k0) {
      int r = leaves.rank(a, lo - 1);
      decodeRun(leaves, a, 0, r, buf, 0);
      m = r;
      s0 = leaves.startState(a);
      if ((s0 ^ (r & 1)) != state) {
        buf[m++] = lo;
      }
    } else {
      s0 = state;
    }
    if (hi < k1) {
      int r = leaves.rank(b, hi);
      if ((leaves.startState(b) ^ (r & 1)) != state) {
        buf[m++] = hi;
      }
      decodeRun(leaves, b, r, cb, buf, m);
      m += cb - r;
    }
    rebuild(leaves, a, b, s0, buf, m);
  }

  /** Turns the bitmap leaf starting at {@code key}, if there is one, back into runs if it is sparse. */
  static void maybeSparsify(LeafArray leaves, long key) {
    int i = leaves.find(key);
    if (leaves.key(i) != key || !leaves.isBitmap(i) || leaves.flips(i) >= SPARSE) {
      return;
    }
    long[] buf = new long[leaves.flips(i) + MAX_RUN + 8];
    int m = decodeLeaves(leaves, i, i, buf);
    rebuild(leaves, i, i, leaves.startState(i), buf, m);
  }

  /**
   * Turns the chunk holding {@code p} into a bitmap leaf if the run leaves over it hold more than DENSE flips, and
   * returns whether it did.
   */
  static boolean maybeDensify(LeafArray leaves, long p) {
    long cs = p & -CHUNK;
    long ce = cs + CHUNK;
    if (ce > leaves.blocks()) {
      return false;
    }
    int i = leaves.find(cs);
    int k = leaves.find(ce - 1);
    if (i == k) {
      return false; // a bitmap leaf already, or one run leaf, which never holds more than DENSE flips
    }
    int flips = 0;
    int size = 0;
    for (int t = i; t <= k; t++) {
      long lo = Math.max(cs, leaves.key(t));
      long hi = Math.min(ce, leaves.end(t));
      flips += leaves.rank(t, hi - 1) - leaves.rank(t, lo) + 1;
      size += leaves.flips(t) + 1;
    }
    if (flips <= DENSE) {
      return false;
    }
    long[] buf = new long[size + MAX_RUN + 8];
    int m = decodeLeaves(leaves, i, k, buf);
    rebuild(leaves, i, k, leaves.startState(i), buf, m);
    return true;
  }

  /** Writes flips {@code fromIndex..toIndex-1} of run leaf {@code i}, as blocks, into {@code buf} from {@code at}. */
  private static void decodeRun(LeafArray leaves, int i, int fromIndex, int toIndex, long[] buf, int at) {
    long key = leaves.key(i);
    long[] d = leaves.words(i);
    int w = leaves.width(i);
    for (int j = fromIndex; j < toIndex; j++) {
      buf[at++] = key + PackedFields.field(d, w, j);
    }
  }

  /** Writes every flip inside leaves {@code i..k}, including flips at their first blocks, and returns the count. */
  private static int decodeLeaves(LeafArray leaves, int i, int k, long[] buf) {
    int m = 0;
    int cur = leaves.startState(i);
    for (int t = i; t <= k; t++) {
      if (t > i && leaves.startState(t) != cur) {
        buf[m++] = leaves.key(t);
        cur ^= 1;
      }
      if (leaves.isBitmap(t)) {
        long[] d = leaves.words(t);
        long base = leaves.key(t);
        for (int w = 0; w < CHUNK_WORDS; w++) {
          long carry = w == 0 ? d[0] & 1 : d[w - 1] >>> 63;
          long x = d[w] ^ (d[w] << 1 | carry);
          while (x != 0) {
            buf[m++] = base + ((long) w << 6) + Long.numberOfTrailingZeros(x);
            x &= x - 1;
          }
        }
        cur = leaves.endState(t);
      } else {
        decodeRun(leaves, t, 0, leaves.flips(t), buf, m);
        m += leaves.flips(t);
        cur ^= leaves.flips(t) & 1;
      }
    }
    return m;
  }

  /**
   * Replaces leaves {@code a..b} with the leaves that encode flips {@code buf[0, m)} (strictly inside their span)
   * from start state {@code s0}; a short result first absorbs a run-leaf neighbour. {@code buf} has room for
   * MAX_RUN + 2 more entries (a neighbour is absorbed only while the total stays within MAX_RUN).
   */
  private static void rebuild(LeafArray leaves, int a, int b, int s0, long[] buf, int m) {
    long k0 = leaves.key(a);
    long k1 = leaves.end(b);
    if (m < MIN_RUN && a > 0 && !leaves.isBitmap(a - 1) && leaves.flips(a - 1) + m + 1 <= MAX_RUN) {
      int c = leaves.flips(a - 1);
      int add = c + (leaves.endState(a - 1) != s0 ? 1 : 0);
      System.arraycopy(buf, 0, buf, add, m);
      decodeRun(leaves, a - 1, 0, c, buf, 0);
      if (add > c) {
        buf[c] = k0;
      }
      m += add;
      a--;
      k0 = leaves.key(a);
      s0 = leaves.startState(a);
    }
    if (m < MIN_RUN && b + 1 < leaves.count() && !leaves.isBitmap(b + 1)
        && leaves.flips(b + 1) + m + 1 <= MAX_RUN) {
      if (leaves.startState(b + 1) != (s0 ^ (m & 1))) {
        buf[m++] = k1;
      }
      b++;
      decodeRun(leaves, b, 0, leaves.flips(b), buf, m);
      m += leaves.flips(b);
      k1 = leaves.end(b);
    }
    LeafArray.Batch out = new LeafArray.Batch();
    emit(out, k0, k1, s0, buf, m);
    leaves.replace(a, b, out);
  }

  /** Encodes flips {@code buf[0, m)} over {@code [k0, k1)}: dense aligned chunks as bitmaps, the rest as runs. */
  private static void emit(LeafArray.Batch out, long k0, long k1, int s0, long[] buf, int m) {
    long ls = k0;
    int lst = s0;
    int f = 0;
    int i = 0;
    while (i < m) {
      long cs = buf[i] & -CHUNK;
      long ce = cs + CHUNK;
      int j = i + 1;
      while (j < m && buf[j] < ce) {
        j++;
      }
      if (j - i > DENSE && cs >= ls && ce <= k1) {
        if (cs > ls) {
          emitRuns(out, ls, cs, lst, buf, f, i);
        }
        int st = lst ^ ((i - f) & 1);
        long[] bits = new long[CHUNK_WORDS];
        long q = cs;
        for (int t = i; t < j; t++) {
          if (st == 1) {
            BitRanges.fill(bits, q - cs, buf[t] - cs, 1);
          }
          q = buf[t];
          st ^= 1;
        }
        if (st == 1) {
          BitRanges.fill(bits, q - cs, CHUNK, 1);
        }
        int internal = (j - i) - (buf[i] == cs ? 1 : 0);
        out.add(cs, bits, LeafLayout.bitmapDescriptor(internal));
        ls = ce;
        lst = st;
        if (j < m && buf[j] == ce) {
          lst ^= 1;
          j++;
        }
        f = j;
      }
      i = j;
    }
    if (k1 > ls) {
      emitRuns(out, ls, k1, lst, buf, f, m);
    }
  }

  /** Emits run leaves for {@code [ls, le)} with flips {@code buf[f, t)}, split evenly into at most MAX_RUN each. */
  private static void emitRuns(LeafArray.Batch out, long ls, long le, int st, long[] buf, int f, int t) {
    int k = t - f;
    while (k > MAX_RUN) {
      int pieces = (k + MAX_RUN - 1) / MAX_RUN;
      int take = k / pieces;
      emitRun(out, ls, st, buf, f, f + take);
      st ^= (take & 1) ^ 1;
      ls = buf[f + take];
      f += take + 1;
      k = t - f;
    }
    emitRun(out, ls, st, buf, f, t);
  }

  /** Emits one run leaf from {@code key} with flips {@code buf[f, t)}, packed at the width of the largest offset. */
  private static void emitRun(LeafArray.Batch out, long key, int st, long[] buf, int f, int t) {
    int count = t - f;
    if (count == 0) {
      out.add(key, new long[0], LeafLayout.runDescriptor(0, 1, st));
      return;
    }
    int w = 64 - Long.numberOfLeadingZeros(buf[t - 1] - key);
    long[] d = new long[(int) (((long) count * w + 63) >>> 6)];
    for (int j = 0; j < count; j++) {
      PackedFields.putField(d, w, j, buf[f + j] - key);
    }
    out.add(key, d, LeafLayout.runDescriptor(count, w, st));
  }
}
