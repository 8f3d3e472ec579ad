package org.guestmem.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Map;
import java.util.stream.Stream;
import org.guestmem.conformance.FailingStoreProvider.FailingStore;
import org.guestmem.conformance.RecordingListener.Kind;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.ConversionException;
import org.guestmem.region.ConversionException.StoreRecovery;
import org.guestmem.region.RegionLayout;
import org.guestmem.region.Source;
import org.guestmem.spi.StateStore;
import org.guestmem.spi.StateStoreProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Rule 3 of the manager contract for every kind of failure: a listener refusing with a runtime exception, an
 * {@link Error} or an undeclared checked exception, and a state store failing part-way through a write or failing to
 * read, on every path that notifies (register, unregister, to shared, to private, plug, unplug). After each, the
 * listeners' views and both sources' states are exactly what they were, and the caller got what
 * {@link ConversionException} promises for that kind. Part of {@link ManagerContract}.
 */
public interface ManagerFailureContract {
  long G = 4096;
  int BLOCKS = 64;

  /** The store provider under test. */
  StateStoreProvider provider();

  /** Whether the managers under test combine concurrent conversions. */
  boolean combining();

  /** The store options used by {@link #provider()}. */
  Map<String, String> storeOptions();

  /** Every entry point that notifies listeners. */
  enum Path { REGISTER, UNREGISTER, TO_SHARED, TO_PRIVATE, PLUG, UNPLUG }

  /**
   * A region with a plug source, two listeners and a mixed state, so that every path notifies several runs to both:
   * blocks {@code 4i, 4i+1} shared, and every fourth of those shared pairs unplugged.
   */
  final class Fixture {
    final AttributeManager manager;
    final RecordingListener a = new RecordingListener("a", G, 0, BLOCKS * G);
    final RecordingListener b = new RecordingListener("b", G, 8 * G, 32 * G);
    final RecordingListener newcomer = new RecordingListener("c", G, 4 * G, 48 * G);

    Fixture(ManagerFailureContract c, StateStoreProvider provider) {
      manager = AttributeManager.builder().layout(RegionLayout.of(BLOCKS * G, G)).store(provider)
          .storeOptions(c.storeOptions()).combining(c.combining()).plugSource(true).build();
      manager.registerListener(a, 0, BLOCKS * G);
      manager.registerListener(b, 8 * G, 32 * G);
      for (long blk = 0; blk < BLOCKS; blk += 4) {
        manager.share(blk * G, 2 * G);
      }
      for (long blk = 4; blk < BLOCKS; blk += 16) {
        manager.unplug(blk * G, 2 * G);
      }
    }

    /** The listener a path's refusal is injected into. */
    RecordingListener victim(Path path) {
      return path == Path.REGISTER ? newcomer : b;
    }

    /** Which of the victim's calls the path makes. */
    static Kind calls(Path path) {
      return switch (path) {
        case REGISTER, TO_SHARED, PLUG -> Kind.POPULATE;
        default -> Kind.DISCARD;
      };
    }

    /** Runs the path and returns what it threw, or null. */
    Throwable run(Path path) {
      try {
        switch (path) {
          case REGISTER -> manager.registerListener(newcomer, newcomer.sectionOffset(), newcomer.sectionLength());
          case UNREGISTER -> manager.unregisterListener(b);
          case TO_SHARED -> manager.share(0, BLOCKS * G);
          case TO_PRIVATE -> manager.makePrivate(0, BLOCKS * G);
          case PLUG -> manager.plug(0, BLOCKS * G);
          case UNPLUG -> manager.unplug(0, BLOCKS * G);
        }
        return null;
      } catch (Throwable t) {
        return t;
      }
    }

    /** What the listeners hold and the sources say, to compare before and after. */
    String picture() {
      StringBuilder sb = new StringBuilder();
      for (RecordingListener l : new RecordingListener[] {a, b, newcomer}) {
        sb.append(l).append(manager.isRegistered(l) ? "+" : "-").append(l.view()).append(' ');
      }
      for (Source s : Source.values()) {
        StateStore st = manager.snapshot(s);
        BitSet populated = new BitSet();
        for (int blk = 0; blk < BLOCKS; blk++) {
          populated.set(blk, st.get(blk) == 1);
        }
        sb.append(s).append(populated).append(' ');
      }
      return sb.toString();
    }
  }

  @TestFactory
  default Stream<DynamicTest> everyKindOfListenerRefusalIsUndoneOnEveryPath() {
    return Stream.of(FaultKind.values()).flatMap(kind -> Stream.of(Path.values()).map(path ->
        DynamicTest.dynamicTest(kind + " refusal on " + path, () -> refuseEverywhere(kind, path))));
  }

  private void refuseEverywhere(FaultKind kind, Path path) {
    for (int k = 1; ; k++) {
      Fixture f = new Fixture(this, provider());
      String before = f.picture();
      RecordingListener victim = f.victim(path);
      victim.failOn(Fixture.calls(path), k).failWith(kind).partialRefusals(k % 2 == 0);
      Throwable thrown = f.run(path);
      if (thrown == null) {
        assertEquals(0, victim.failures(), "k=" + k + " did not fail, so it must have been past the last call");
        assertTrue(k > 1, "the path made no call to refuse");
        return;
      }
      String where = kind + " on " + path + " at call " + k;
      ConversionException e = kind.expect(thrown, where);
      assertTrue(e.isConsistent(), where + ": compensation must succeed: " + e);
      assertEquals(StoreRecovery.NOT_NEEDED, e.storeRecovery(), where);
      assertEquals(before, f.picture(), where + ": not restored exactly");
      assertTrue(f.manager.isTrusted(), where);
      assertTrue(k < 500, "runaway");
    }
  }

  @TestFactory
  default Stream<DynamicTest> aStoreThatFailsPartWayIsRestoredOnEveryPath() {
    return Stream.of(FaultKind.values()).flatMap(kind -> Stream.of(Path.TO_SHARED, Path.TO_PRIVATE, Path.PLUG,
        Path.UNPLUG).flatMap(path -> Stream.of(false, true).map(sticky -> DynamicTest.dynamicTest(kind
            + " from the store on " + path + (sticky ? ", write-back fails too" : ""),
        () -> failStoreWrite(kind, path, sticky)))));
  }

  private void failStoreWrite(FaultKind kind, Path path, boolean writeBackFails) {
    FailingStoreProvider stores = new FailingStoreProvider(provider());
    Fixture f = new Fixture(this, stores);
    String before = f.picture();
    boolean shared = path == Path.TO_SHARED || path == Path.TO_PRIVATE;
    FailingStore store = stores.store(shared ? 0 : 1);
    store.failSet(1, kind, writeBackFails);
    String where = kind + " from the store on " + path;
    ConversionException e = kind.expect(f.run(path), where);
    assertTrue(store.failures() > 0, where + ": the fault fired");
    assertTrue(e.isConsistent(), where + ": " + e);
    assertEquals(writeBackFails ? StoreRecovery.REBUILT : StoreRecovery.RESTORED, e.storeRecovery(), where);
    assertEquals(before, f.picture(), where + ": not restored exactly");
    assertTrue(f.manager.isTrusted(), where);
    store.heal();
    assertEquals(null, f.run(path), where + ": the same change succeeds once the store works");
    BitSet populated = new BitSet();
    f.manager.replayPopulated(0, BLOCKS * G, (off, len) -> {
      populated.set((int) (off / G), (int) ((off + len) / G));
      return 0;
    });
    assertEquals(populated, f.a.view(), where + ": the listener agrees with the state after the retry");
  }

  @Test
  default void aStoreThatCannotBeBroughtBackMakesTheRegionRefuseChanges() {
    for (FaultKind kind : FaultKind.values()) {
      FailingStoreProvider stores = new FailingStoreProvider(provider());
      Fixture f = new Fixture(this, stores);
      stores.store(0).failSet(1, kind, true);
      stores.failCreate(kind);
      ConversionException e = kind.expect(f.run(Path.TO_SHARED), kind + " with no way back");
      assertEquals(StoreRecovery.FAILED, e.storeRecovery());
      assertFalse(e.isConsistent(), "the failed write-back and rebuild are attached: " + e);
      assertFalse(f.manager.isTrusted());
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> f.manager.makePrivate(0, G));
      assertTrue(refused.getMessage().contains("refuses changes"), refused.getMessage());
      assertThrows(IllegalStateException.class, () -> f.manager.registerListener(f.newcomer, 0, G));
      f.manager.unregisterListener(f.a);
      assertTrue(f.a.view().isEmpty(), kind + ": unregistering an untrusted region discards the whole section");
    }
  }

  @Test
  default void aStoreThatFailsToReadChangesNothing() {
    for (FaultKind kind : FaultKind.values()) {
      for (Path path : Path.values()) {
        FailingStoreProvider stores = new FailingStoreProvider(provider());
        Fixture f = new Fixture(this, stores);
        String before = f.picture();
        FailingStore store = stores.store(path == Path.PLUG || path == Path.UNPLUG ? 1 : 0);
        store.failReads(kind);
        String where = kind + " reading the store on " + path;
        ConversionException e = kind.expect(f.run(path), where);
        assertTrue(e.isConsistent(), where);
        store.failReads(null);
        assertEquals(before, f.picture(), where + ": changed something");
        assertTrue(f.manager.isTrusted(), where);
      }
    }
  }
}
