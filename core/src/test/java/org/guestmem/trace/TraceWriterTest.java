package org.guestmem.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.guestmem.conformance.ModelStoreProvider;
import org.guestmem.region.AttributeManager;
import org.guestmem.region.AttributeManagerBuilder;
import org.guestmem.region.BlockState;
import org.guestmem.region.RegionLayout;
import org.guestmem.workload.OpKind;
import org.guestmem.workload.OpStream;
import org.guestmem.workload.Workload;
import org.guestmem.workload.WorkloadSpec;
import org.guestmem.workload.Workloads;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class TraceWriterTest {
  private static final long G = 1L << 30;
  private static final long BASE = 0x1_0000_0000L;

  static AttributeManager region(long size, boolean plug) {
    AttributeManagerBuilder b = AttributeManager.builder().layout(new RegionLayout(size, 4096, BASE, 0))
        .store(new ModelStoreProvider());
    if (plug) {
      b.plugSource(false);
    }
    return b.build();
  }

  static List<String> states(AttributeManager region) {
    List<String> out = new ArrayList<>();
    region.replayStates(0, region.layout().size(), (off, len, st) -> {
      out.add(Long.toHexString(off) + "+" + Long.toHexString(len) + ":" + st);
      return 0;
    });
    return out;
  }

  @TestFactory
  Stream<DynamicTest> aWrittenTraceReadsBackAsTheSameOperationsAndFinalState() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Workload w : Workloads.all()) {
      for (TraceWriter.Events events : TraceWriter.Events.values()) {
        for (long seed : new long[] {3, 77}) {
          String name = w.name() + " events=" + events + " seed=" + seed;
          tests.add(dynamicTest(name, () -> {
            WorkloadSpec spec = new WorkloadSpec(4 * G, 4096, seed, 400);
            StringWriter text = new StringWriter();
            AttributeManager written = region(spec.size(), w.usesPlugSource());
            TraceWriter writer = new TraceWriter(text, BASE, events, 2L << 20);
            long n = writer.write(w.ops(spec), written);

            TraceReader reader = new TraceReader(new StringReader(text.toString()), name,
                TraceReader.Options.of(spec.size()).withBase(BASE).withStrict(true));
            OpStream expected = w.ops(spec);
            AttributeManager replayed = region(spec.size(), w.usesPlugSource());
            while (expected.next()) {
              assertTrue(reader.next(), name + ": trace ended before " + expected.position());
              assertEquals(expected.kind(), reader.kind(), name + " at " + reader.position());
              assertEquals(expected.offset(), reader.offset(), name + " at " + reader.position());
              assertEquals(expected.length(), reader.length(), name + " at " + reader.position());
              reader.kind().applyTo(replayed, reader.offset(), reader.length());
            }
            assertTrue(!reader.next(), name + ": trace has more operations than the workload");
            assertEquals(n, expected.count());
            assertEquals(events == TraceWriter.Events.BOTH ? countConversions(w, spec) : 0, reader.pairedEvents());
            assertEquals(states(written), states(replayed), name);
          }));
        }
      }
    }
    return tests.stream();
  }

  private static long countConversions(Workload w, WorkloadSpec spec) {
    OpStream ops = w.ops(spec);
    long n = 0;
    while (ops.next()) {
      if (!ops.kind().needsPlugSource()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void linesFollowQemusFormatWithTheStateBeforeTheConversion() {
    StringWriter text = new StringWriter();
    TraceWriter writer = new TraceWriter(text, BASE, TraceWriter.Events.BOTH, 2L << 20);
    Map<String, String> header = new LinkedHashMap<>();
    header.put("size", "0x40000000");
    header.put("base", "0x100000000");
    writer.header(header);
    AttributeManager region = region(G, false);
    OpStream ops = new OpStream() {
      final long[][] script = {{0, 0x200000, 0x200000}, {0, 0x200000, 0x400000}, {1, 0x200000, 0x1000},
          {1, 0x200000, 0x1000}};
      int i = -1;

      @Override
      public boolean next() {
        return ++i < script.length;
      }

      @Override
      public OpKind kind() {
        return script[i][0] == 0 ? OpKind.SHARE : OpKind.PRIVATE;
      }

      @Override
      public long offset() {
        return script[i][1];
      }

      @Override
      public long length() {
        return script[i][2];
      }

      @Override
      public String position() {
        return "op " + i;
      }

      @Override
      public long count() {
        return i + 1;
      }
    };
    writer.write(ops, region);
    assertEquals("""
        # guestmem-trace size=0x40000000 base=0x100000000
        4242@1767225600.000000:kvm_convert_memory start 0x100200000 size 0x200000 private_to_shared
        4242@1767225600.000013:ram_block_attributes_state_change offset 0x200000 size 0x200000 from 'discarded' to 'populated'
        4242@1767225600.000026:kvm_convert_memory start 0x100200000 size 0x400000 private_to_shared
        4242@1767225600.000039:ram_block_attributes_state_change offset 0x200000 size 0x400000 from 'mixture' to 'populated'
        4242@1767225600.000052:kvm_convert_memory start 0x100200000 size 0x1000 shared_to_private
        4242@1767225600.000065:ram_block_attributes_state_change offset 0x200000 size 0x1000 from 'populated' to 'discarded'
        4242@1767225600.000078:kvm_convert_memory start 0x100200000 size 0x1000 shared_to_private
        4242@1767225600.000091:ram_block_attributes_state_change offset 0x200000 size 0x1000 from 'discarded' to 'discarded'
        """, text.toString());
    assertEquals(9, writer.lines());
    assertEquals(0x400000 - 0x1000, region.bytesIn(BlockState.SHARED));
  }

  @Test
  void largePlugRequestsAreSplitAt65535Blocks() {
    StringWriter text = new StringWriter();
    TraceWriter writer = new TraceWriter(text, 0, TraceWriter.Events.KVM, 4096);
    writer.write(OpKind.PLUG, 0, 70_000L * 4096, null);
    String[] lines = text.toString().split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].endsWith("virtio_mem_plug_request addr=0x0 nb_blocks=65535"), lines[0]);
    assertTrue(lines[1].endsWith("virtio_mem_plug_request addr=0xffff000 nb_blocks=4465"), lines[1]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TraceWriter(new StringWriter(), 0, TraceWriter.Events.KVM, 2L << 20)
            .write(OpKind.UNPLUG, 4096, 4096 * 3, null));
    assertTrue(e.getMessage().contains("whole virtio-mem blocks"), e.getMessage());
  }

  @Test
  void aBadOperationNamesItsPosition() {
    TraceWriter writer = new TraceWriter(new StringWriter(), 0, TraceWriter.Events.KVM, 2L << 20);
    AttributeManager region = region(G, false);
    OpStream plugs = Workloads.named("virtio-mem-cvm").ops(new WorkloadSpec(G, 4096, 1, 10));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(plugs, region));
    assertTrue(e.getMessage().startsWith("op 1: this region has no PLUG source"), e.getMessage());
  }
}
