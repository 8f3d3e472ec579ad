package org.guestmem.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.guestmem.cli.replay.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ForkedRunTest {
  /** What {@code measure-run} makes of the arguments a fresh JVM is given. */
  private static RunConfig parsed(List<String> args) {
    MeasureRunCommand child = new MeasureRunCommand();
    new CommandLine(child).parseArgs(args.subList(1, args.size()).toArray(new String[0]));
    return child.combination.config(child.input, child.store, child.dma, child.mapping, "--mapping");
  }

  @TempDir
  Path dir;

  @Test
  void aFreshJvmParsesBackTheSameConfiguration() throws java.io.IOException {
    RunConfig workload = new RunConfig("dynamic-dma", null, OptionalLong.of(0x2_0000_0000L), false, 8L << 30,
        2L << 20, -7, 1234, "unplugged", "intervaltree", "vfio-type1", "embedded", "granule", "strict", true, 17,
        Map.of("vfio-type1:dma-entry-limit", "300000", "iova-window", "0x1000"));
    assertEquals(workload, parsed(ForkedRun.arguments(workload, 3, 500, true, Path.of("r.json"))));
    Path file = java.nio.file.Files.writeString(dir.resolve("a trace with spaces.trace"), "# guestmem-trace\n");
    RunConfig trace = new RunConfig(null, file, OptionalLong.empty(), true, 1L << 30,
        4096, 1, 0, null, "bitmap", "none", "auto", "coalesce", "on-demand", false, 0, Map.of());
    assertEquals(trace, parsed(ForkedRun.arguments(trace, 0, 0, false, Path.of("r.json"))));
  }

  @Test
  void theChildIsGivenTheWarmUpTheJolRoundAndTheResultFile() {
    RunConfig c = new RunConfig("boot-swiotlb", null, OptionalLong.empty(), false, 1L << 30, 4096, 1, 0, null,
        "bitmap", "none", "embedded", "granule", false);
    List<String> args = ForkedRun.arguments(c, 2, 20_000, true, Path.of("/tmp/x/result.json"));
    assertEquals("measure-run", args.get(0));
    assertEquals(List.of("--warmup=2", "--warmup-ops=20000", "--jol", "--result=/tmp/x/result.json"),
        args.subList(args.size() - 4, args.size()));
    assertEquals(false, ForkedRun.arguments(c, 2, 0, false, Path.of("r")).contains("--jol"));
  }
}
