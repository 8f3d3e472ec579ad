package org.guestmem.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.guestmem.conformance.FailingStoreProvider;
import org.guestmem.conformance.FailingStoreProvider.FailingStore;
import org.guestmem.conformance.FaultKind;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.conformance.RecordingListener;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.BlockState;
import org.guestmem.region.ConversionException;
import org.guestmem.region.RegionLayout;
import org.guestmem.region.Source;

/**
 * Coverage-guided fuzzing of the manager's public API with raw, often invalid, arguments, listeners that refuse at
 * fuzzer-chosen calls and stores that fail part-way through fuzzer-chosen writes, each with a fuzzer-chosen kind of
 * throwable (runtime, Error, undeclared checked). After every call: a rejected call changed nothing, an accepted call
 * was valid, and every listener's view equals the populated blocks of its section in a per-block model.
 *
 * <p>Without {@code JAZZER_FUZZ} this runs the inputs kept under {@code src/test/resources} as a regression test;
 * with {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 */
class ManagerFuzzTest {
  private static final long G = 4096;

  @FuzzTest(maxDuration = "60s")
  void managerApiKeepsStateAndListenersInAgreement(FuzzedDataProvider data) {
    int blocks = data.consumeInt(1, 300);
    FailingStoreProvider stores = new FailingStoreProvider(new ModelStoreProvider());
    AttributeManager m = AttributeManager.builder().layout(RegionLayout.of(blocks * G, G))
        .store(stores).plugSource(data.consumeBoolean()).build();
    byte[] shared = new byte[blocks];
    byte[] plugged = new byte[blocks];
    boolean hasPlug = m.hasSource(Source.PLUG);
    Arrays.fill(plugged, (byte) (hasPlug && m.stateAt(0) == BlockState.DISCARDED ? 0 : 1));
    List<RecordingListener> listeners = new ArrayList<>();
    int ops = data.consumeInt(0, 200);
    for (int op = 0; op < ops && data.remainingBytes() > 0; op++) {
      int kind = data.consumeInt(0, 5);
      long offset = pick(data, blocks);
      long length = pick(data, blocks);
      if (kind <= 2) {
        Source source = kind == 2 ? Source.PLUG : Source.GUEST_MEMFD;
        boolean value = data.consumeBoolean();
        if (!listeners.isEmpty() && data.consumeBoolean()) {
          listeners.get(data.consumeInt(0, listeners.size() - 1))
              .partialRefusals(data.consumeBoolean())
              .failWith(data.pickValue(FaultKind.values()))
              .failOn(RecordingListener.Kind.ANY, data.consumeInt(1, 4));
        }
        // A store write that fails part-way; never both write and write-back, so stores are restored, not rebuilt,
        // and store(0) and store(1) stay the ones in use.
        FailingStore store = data.consumeBoolean() && (source != Source.PLUG || hasPlug)
            ? stores.store(source == Source.PLUG ? 1 : 0).failSet(data.consumeInt(1, 2),
                data.pickValue(FaultKind.values()), false)
            : null;
        int faultsBefore = faults(listeners, stores);
        boolean valid = offset >= 0 && length > 0 && offset % G == 0 && length % G == 0
            && offset + length > 0 && offset + length <= blocks * G;
        try {
          m.change(source, offset, length, value);
          assertTrue(valid, "accepted an invalid conversion " + offset + "+" + length);
          assertTrue(source != Source.PLUG || hasPlug, "plugged without a plug source");
          Arrays.fill(source == Source.PLUG ? plugged : shared, (int) (offset / G), (int) ((offset + length) / G),
              (byte) (value ? 1 : 0));
        } catch (IllegalArgumentException e) {
          assertTrue(!valid, "rejected a valid conversion " + offset + "+" + length + ": " + e.getMessage());
        } catch (IllegalStateException e) {
          assertTrue(source == Source.PLUG && !hasPlug, "unexpected: " + e);
        } catch (Throwable t) {
          // A refusal of any kind carries the ConversionException describing its undo; anything else (a failed
          // assertion of this test among them) is rethrown.
          ConversionException e = ConversionException.of(t).orElseThrow(() -> t instanceof Error err ? err
              : new AssertionError("unexpected " + t, t));
          // One fault must always be undone in full. A second fault (a store write fails, then a listener refuses
          // the compensating call) may leave the undo incomplete: it must say so, and nothing is promised after.
          int fired = faults(listeners, stores) - faultsBefore;
          if (!e.isConsistent()) {
            assertTrue(fired >= 2, "a compensation failed after " + fired + " fault: " + e);
            return;
          }
        }
        listeners.forEach(RecordingListener::heal);
        if (store != null) {
          store.heal();
        }
      } else if (kind == 3 && listeners.size() < 4) {
        RecordingListener l = new RecordingListener("l" + op, G, offset, length);
        try {
          m.registerListener(l, offset, length);
          listeners.add(l);
        } catch (IllegalArgumentException e) {
          assertTrue(l.view().isEmpty());
        }
      } else if (kind == 4 && !listeners.isEmpty()) {
        RecordingListener l = listeners.remove(data.consumeInt(0, listeners.size() - 1));
        m.unregisterListener(l);
        assertTrue(l.view().isEmpty(), "unregistration leaves nothing populated");
      } else {
        try {
          boolean populated = m.isPopulated(offset, length);
          long from = offset / G;
          long to = (offset + length + G - 1) / G;
          boolean expected = true;
          for (long b = from; b < to; b++) {
            expected &= shared[(int) b] == 1 && plugged[(int) b] == 1;
          }
          assertEquals(expected, populated, "isPopulated(" + offset + ", " + length + ")");
        } catch (IllegalArgumentException e) {
          assertTrue(offset < 0 || length <= 0 || offset + length < 0 || offset + length > blocks * G,
              "rejected a valid query: " + e.getMessage());
        }
      }
      for (RecordingListener l : listeners) {
        BitSet expected = new BitSet();
        for (long b = l.sectionOffset() / G; b < (l.sectionOffset() + l.sectionLength()) / G; b++) {
          if (shared[(int) b] == 1 && plugged[(int) b] == 1) {
            expected.set((int) b);
          }
        }
        if (!expected.equals(l.view())) {
          fail("op " + op + ": listener " + l + " holds " + l.view() + ", state says " + expected);
        }
      }
    }
  }

  /** Faults thrown so far by the listeners and the two stores (guest_memfd, plug). */
  private static int faults(List<RecordingListener> listeners, FailingStoreProvider stores) {
    int n = listeners.stream().mapToInt(RecordingListener::failures).sum();
    for (int i = 0; i < stores.created(); i++) {
      n += stores.store(i).failures();
    }
    return n;
  }

  /** Mostly block-aligned values inside the region, sometimes anything at all. */
  private static long pick(FuzzedDataProvider data, int blocks) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> data.consumeLong();
      case 1 -> data.consumeLong(-2 * G, (blocks + 2) * G);
      default -> data.consumeLong(0, blocks) * G;
    };
  }
}
