package org.guestmem.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.guestmem.workload.OpKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TraceReaderTest {
  private static final long G = 1L << 30;

  record Op(OpKind kind, long offset, long length) {}

  static TraceReader reader(String text, TraceReader.Options options) {
    return new TraceReader(new StringReader(text), "t.log", options);
  }

  static List<Op> read(TraceReader r) {
    List<Op> ops = new ArrayList<>();
    while (r.next()) {
      ops.add(new Op(r.kind(), r.offset(), r.length()));
    }
    return ops;
  }

  @Test
  void readsStateChangesWithAndWithoutThePrefix() {
    TraceReader r = reader("""
        1234@1712345678.123456:ram_block_attributes_state_change offset 0x200000 size 0x200000 from 'discarded' to 'populated'
        ram_block_attributes_state_change offset 0x200000 size 0x1000 from 'populated' to 'discarded'
        77@1.000001: ram_block_attributes_state_change offset 0x0 size 0x400000 from 'mixture' to 'populated'
        """, TraceReader.Options.of(G));
    assertEquals(List.of(new Op(OpKind.SHARE, 0x200000, 0x200000), new Op(OpKind.PRIVATE, 0x200000, 0x1000),
        new Op(OpKind.SHARE, 0, 0x400000)), read(r));
    assertEquals(3, r.count());
    assertEquals(0, r.skippedLines());
  }

  @Test
  void kvmConvertMemoryIsGuestPhysicalAndTheStateChangeAfterItIsThePairedSameConversion() {
    TraceReader r = reader("""
        9@2.000000:kvm_convert_memory start 0x100200000 size 0x200000 private_to_shared
        9@2.000013:ram_block_attributes_state_change offset 0x200000 size 0x200000 from 'discarded' to 'populated'
        kvm_convert_memory start 0x100000000 size 0x1000 shared_to_private
        ram_block_attributes_state_change offset 0x3000 size 0x1000 from 'discarded' to 'populated'
        """, TraceReader.Options.of(G).withBase(0x1_0000_0000L));
    assertEquals(List.of(new Op(OpKind.SHARE, 0x200000, 0x200000), new Op(OpKind.PRIVATE, 0, 0x1000),
        new Op(OpKind.SHARE, 0x3000, 0x1000)), read(r));
    assertEquals(1, r.pairedEvents());
  }

  @Test
  void otherLinesAreSkippedAndCountedCommentsAreNot() {
    TraceReader r = reader("""
        # a comment

        1@1.1:vfio_region_write  (0000:00:01.0:region0+0x0, 0x0, 4)
        kvm_set_user_memory Slot#3 flags=0x4 gpa=0x100000000 size=0x40000000 ua=0x7f0000000000 ret=0
        ram_block_attributes_state_change offset 0x0 size 0x1000 from 'discarded' to 'populated'
        random words
        """, TraceReader.Options.of(G));
    assertEquals(1, read(r).size());
    assertEquals(3, r.skippedLines());
    assertEquals("t.log:3", r.firstSkipped());
    assertEquals(6, r.lines());
  }

  @Test
  void strictModeFailsOnTheFirstOtherLineWithItsNumberAndText() {
    TraceReader r = reader("""
        ram_block_attributes_state_change offset 0x0 size 0x1000 from 'discarded' to 'populated'
        # fine
        kvm_set_user_memory Slot#3 flags=0x4
        """, TraceReader.Options.of(G).withStrict(true));
    assertTrue(r.next());
    TraceFormatException e = assertThrows(TraceFormatException.class, r::next);
    assertEquals(3, e.lineNumber());
    assertTrue(e.getMessage().startsWith("t.log:3: not a conversion event"), e.getMessage());
    assertTrue(e.getMessage().endsWith("'kvm_set_user_memory Slot#3 flags=0x4'"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ram_block_attributes_state_change offset 0x0 size 0x1000 from 'discarded'|malformed line",
      "ram_block_attributes_state_change offset 12 size 0x1000 from 'discarded' to 'populated'|offset '12' is not a"
          + " 0x-prefixed",
      "ram_block_attributes_state_change offset 0xzz size 0x1000 from 'discarded' to 'populated'|offset '0xzz' is"
          + " not a 64-bit hexadecimal",
      "ram_block_attributes_state_change offset 0x0 size 0x1000 from 'discarded' to 'mixture'|to 'mixture' is not",
      "ram_block_attributes_state_change offset 0x0 size 0x1000 from 'odd' to 'populated'|from 'odd' is not",
      "ram_block_attributes_state_change offset 0x0 size 0x1000 from discarded to 'populated'|from discarded is not"
          + " a quoted state",
      "ram_block_attributes_state_change offset 0x0 size 0x0 from 'discarded' to 'populated'|size 0x0 must be"
          + " positive",
      "kvm_convert_memory start 0x0 size 0x1000 sideways|direction 'sideways' is not",
      "kvm_convert_memory start 0x0 size 0x1000|malformed line",
      "virtio_mem_plug_request addr=0x0 nb_blocks=x|nb_blocks 'x' is not a decimal number",
      "virtio_mem_plug_request addr=0x0|malformed line",
      "12@3.4:kvm_convert_memory begin 0x0 size 0x1000 private_to_shared|malformed line",
  })
  void aMalformedLineFailsWithItsNumberTheRuleAndItsText(String line, String rule) {
    TraceReader r = reader("# header-less comment\n" + line + "\n", TraceReader.Options.of(G));
    TraceFormatException e = assertThrows(TraceFormatException.class, r::next);
    assertEquals(2, e.lineNumber());
    assertEquals(line, e.line());
    assertTrue(e.getMessage().startsWith("t.log:2: " + rule), e.getMessage());
    assertTrue(e.getMessage().endsWith("'" + line + "'"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "kvm_convert_memory start 0xfffff000 size 0x1000 private_to_shared|start 0xfffff000 is outside the region"
          + " [0x100000000, 0x140000000) (below the base address)",
      "kvm_convert_memory start 0x13ffff000 size 0x2000 private_to_shared|start 0x13ffff000 size 0x2000 is outside"
          + " the region [0x100000000, 0x140000000)",
      "kvm_convert_memory start 0xffffffffffff0000 size 0x20000 private_to_shared|start 0xffffffffffff0000 size"
          + " 0x20000 is outside the region",
      "ram_block_attributes_state_change offset 0x40000000 size 0x1000 from 'discarded' to 'populated'|offset"
          + " 0x40000000 size 0x1000 is outside the region",
      "virtio_mem_unplug_request addr=0x13fe00000 nb_blocks=2|addr 0x13fe00000 size 0x400000 is outside the region",
  })
  void anAddressOutsideTheRegionIsAnErrorNamingIt(String lineAndRule) {
    String[] parts = lineAndRule.split("\\|");
    TraceReader r = reader(parts[0] + "\n", TraceReader.Options.of(G).withBase(0x1_0000_0000L));
    TraceFormatException e = assertThrows(TraceFormatException.class, r::next);
    assertTrue(e.getMessage().startsWith("t.log:1: " + parts[1]), e.getMessage());
  }

  @Test
  void virtioMemRequestsCountInDeviceBlocks() {
    TraceReader r = reader("""
        5@1.0:virtio_mem_plug_request addr=0x100400000 nb_blocks=3
        virtio_mem_unplug_request addr=0x100600000 nb_blocks=1
        virtio_mem_send_response type=0
        """, TraceReader.Options.of(G).withBase(0x1_0000_0000L));
    assertEquals(List.of(new Op(OpKind.PLUG, 0x400000, 0x600000), new Op(OpKind.UNPLUG, 0x600000, 0x200000)),
        read(r));
    assertEquals(1, r.skippedLines());
  }

  @Test
  void theHeaderGivesTheBaseUnlessOneIsGiven() {
    String text = """
        # guestmem-trace size=0x40000000 granularity=0x1000 base=0x100000000 plug=none
        kvm_convert_memory start 0x100001000 size 0x1000 private_to_shared
        """;
    TraceReader fromHeader = reader(text, TraceReader.Options.of(G));
    assertEquals(0x1_0000_0000L, fromHeader.base());
    assertEquals("none", fromHeader.header().orElseThrow().get("plug").orElseThrow());
    assertEquals(List.of(new Op(OpKind.SHARE, 0x1000, 0x1000)), read(fromHeader));
    assertEquals(2, fromHeader.lines());

    TraceReader explicit = reader(text, TraceReader.Options.of(G).withBase(0x1_0000_0000L - 0x1000));
    assertEquals(List.of(new Op(OpKind.SHARE, 0x2000, 0x1000)), read(explicit));

    TraceReader none = reader("kvm_convert_memory start 0x1000 size 0x1000 private_to_shared\n",
        TraceReader.Options.of(G));
    assertFalse(none.header().isPresent());
    assertEquals(0, none.base());
    assertEquals(List.of(new Op(OpKind.SHARE, 0x1000, 0x1000)), read(none));
    assertEquals(1, none.lines());
    assertNull(none.firstSkipped());
  }

  @Test
  void badOptionsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TraceReader.Options.of(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TraceReader.Options.of(G).withPlugBlockSize(0));
    assertTrue(e.getMessage().contains("block size 0"), e.getMessage());
  }

  /**
   * With a RAM layout, guest-physical events above the hole land at RAM offsets after the RAM below it, where QEMU's
   * state-change events for the same pages are; a conversion event and its state change still pair up.
   */
  @Test
  void aRamLayoutTranslatesGuestPhysicalEventsToRamOffsets() {
    org.guestmem.region.RamLayout ram = org.guestmem.region.RamLayout.parse("0:2G,4G:4G");
    TraceReader r = reader("""
        kvm_convert_memory start 0x100002000 size 0x1000 private_to_shared
        ram_block_attributes_state_change offset 0x80002000 size 0x1000 from 'discarded' to 'populated'
        kvm_convert_memory start 0x7ffff000 size 0x1000 shared_to_private
        """, TraceReader.Options.of(6 * G).withRam(ram).withStrict(true));
    assertEquals(List.of(new Op(OpKind.SHARE, 2 * G + 0x2000, 0x1000), new Op(OpKind.PRIVATE, 2 * G - 0x1000,
        0x1000)), read(r));
    assertEquals(1, r.pairedEvents());
  }

  @Test
  void aConversionInTheHoleIsRefusedNamingTheAddress() {
    org.guestmem.region.RamLayout ram = org.guestmem.region.RamLayout.parse("0:2G,4G:4G");
    TraceReader r = reader("kvm_convert_memory start 0x7ffff000 size 0x2000 private_to_shared\n",
        TraceReader.Options.of(6 * G).withRam(ram));
    TraceFormatException e = assertThrows(TraceFormatException.class, r::next);
    assertTrue(e.getMessage().startsWith("t.log:1:") && e.getMessage().contains("0x80000000 is in no RAM range"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TraceReader.Options(5 * G, java.util.OptionalLong.empty(),
        TraceReader.Options.DEFAULT_PLUG_BLOCK_SIZE, false, ram));
  }
}
