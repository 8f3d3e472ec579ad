package org.guestmem.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.guestmem.bench.peers.JavaPeer;
import org.guestmem.bench.peers.NativePeers;
import org.guestmem.bench.peers.PeerResult;
import org.guestmem.bench.peers.PeerStream;
import org.guestmem.bench.peers.PeerStreams;
import org.guestmem.bench.peers.PeerTable;
import org.guestmem.bench.store.DataSet;
import org.guestmem.workload.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code guestmem peers}: the same operation streams on guestmem's bitmap and interval stores and on the kernel's
 * maple tree and xarray and QEMU's bitmap algorithm (native programs built from benchmarks/native), side by side.
 */
@Command(name = "peers", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Replays the store data sets and the workloads' conversions on guestmem's stores and on the "
        + "kernel's maple tree and xarray (compiled from Debian's linux-source with the kernel's user-space test "
        + "harness) and QEMU's RamBlockAttributes bitmap algorithm, in one run; prints bytes per run, ns per "
        + "operation and the ratios, checks the goals, writes report.html.",
        "Without gcc, make, liburcu-dev or the kernel source the native rows are missing, with the reason and the "
            + "install command; the Java rows still run and the exit code is 0."})
final class PeersCommand implements Callable<Integer> {
  @Option(names = "--data-sets", split = ",", paramLabel = "NAME",
      description = "store data sets; default runs-1e3,runs-1e5,runs-1e6,dense-2^22; 'none' for none")
  List<String> dataSets;

  @Option(names = "--workloads", split = ",", paramLabel = "NAME",
      description = "workloads whose conversions are replayed; default all; 'none' for none")
  List<String> workloads;

  @Option(names = "--size", paramLabel = "SIZE", converter = InputOptions.SizeConverter.class, defaultValue = "64G",
      description = "region size of the workloads (4 KiB blocks); default ${DEFAULT-VALUE}")
  long size;

  @Option(names = "--ops", paramLabel = "N", defaultValue = "0",
      description = "operations per workload; default 0 = the workload's own")
  long ops;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "workload seed; default 1")
  long seed;

  @Option(names = "--stores", split = ",", paramLabel = "NAME", defaultValue = "bitmap,intervaltree",
      description = "guestmem stores; default ${DEFAULT-VALUE} (the goals need intervaltree)")
  List<String> stores;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "unmeasured rounds; default 2")
  int warmup;

  @Option(names = "--repeats", paramLabel = "N", defaultValue = "5",
      description = "measured rounds, the best one counts (Java and native alike); default 5")
  int repeats;

  @Option(names = "--kernel-source", paramLabel = "DIR",
      description = "an unpacked kernel source tree; default: it/real-kernel/kernel-source.sh fetches one")
  Path kernelSource;

  @Option(names = "--no-native", description = "Java rows only")
  boolean noNative;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "guestmem-peers",
      description = "where report.html and the stream files go; default ./guestmem-peers")
  Path out;

  @Spec
  CommandSpec spec;

  /** Whether a tool the native peers need (gcc, make) is installed; a test replaces it to see the missing path. */
  Predicate<String> toolInstalled = NativePeers::onPath;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    Outputs.checkDirectory("--out", out);
    if (warmup < 0 || warmup > CompareCommand.MAX_REPEATS || repeats < 1 || repeats > CompareCommand.MAX_REPEATS) {
      throw new IllegalArgumentException("--warmup " + warmup + " must be 0 to " + CompareCommand.MAX_REPEATS
          + " and --repeats " + repeats + " 1 to " + CompareCommand.MAX_REPEATS);
    }
    List<String> sets = chosen(dataSets, DataSet.NAMES);
    List<String> works = chosen(workloads, Workloads.all().stream().map(w -> w.name()).toList());
    sets.forEach(DataSet::named);
    works.forEach(Workloads::named);
    List<JavaPeer> javaPeers = new ArrayList<>();
    for (String s : CompareCommand.names("--stores", stores)) {
      javaPeers.add(new JavaPeer(s));
    }
    new PeerStream(size / 4096, List.of()); // the size's rules before anything runs
    if (size % 4096 != 0) {
      throw new IllegalArgumentException("--size " + size + " must be a multiple of 4 KiB");
    }
    Files.createDirectories(out);

    NativePeers natives = null;
    String missing = null;
    if (noNative) {
      missing = "not run (--no-native)";
    } else {
      Path repo = Path.of(System.getenv().getOrDefault("GUESTMEM_HOME", "."));
      stderr.println("peers: building the native peers (fetching the kernel source once)...");
      NativePeers.Prepared p = NativePeers.prepare(repo, out.resolve("native"), kernelSource, toolInstalled);
      natives = p.peers();
      missing = p.missing();
      if (missing != null) {
        stderr.println("peers: native rows missing: " + missing);
      }
    }

    PeerTable table = new PeerTable();
    List<String> names = new ArrayList<>();
    names.addAll(sets);
    names.addAll(works);
    for (String name : names) {
      stderr.println("peers: " + name);
      PeerStream stream = sets.contains(name) ? PeerStreams.of(DataSet.named(name))
          : PeerStreams.of(name, size, seed, ops);
      Path file = out.resolve(name.replace('^', '_') + ".stream");
      stream.write(file);
      List<PeerResult> results = new ArrayList<>();
      for (JavaPeer j : javaPeers) {
        results.add(j.run(stream, warmup, repeats));
      }
      if (natives != null) {
        for (String peer : NativePeers.PEERS) {
          results.add(natives.run(peer, file, warmup, repeats));
        }
      }
      checkSameFinalState(name, results);
      table.add(new PeerTable.Stream(name, results, missing));
    }
    stdout.printf("guestmem peers: %d warm-up + %d measured rounds (best), workloads over %s in 4 KiB blocks%n",
        warmup, repeats, Units.size(size));
    table.print(stdout);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("rounds", warmup + " warm-up + " + repeats + " measured (best)");
    params.put("workload region", Units.size(size) + " in 4 KiB blocks, seed " + seed);
    params.put("native peers", missing == null ? String.join(", ", NativePeers.PEERS) : "missing: " + missing);
    params.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    Path html = table.writeHtml(out, params);
    stdout.printf("report: %s%n", html.toAbsolutePath().normalize());
    return 0;
  }

  /** Every peer must end in the same state: proof that they replayed the same operations. */
  static void checkSameFinalState(String stream, List<PeerResult> results) {
    PeerResult first = results.get(0);
    for (PeerResult r : results) {
      if (r.finalHash() != first.finalHash() || r.runs() != first.runs()) {
        throw new IllegalStateException(stream + ": " + r.peer() + " ends with " + r.runs() + " runs (hash "
            + Long.toUnsignedString(r.finalHash()) + ") but " + first.peer() + " with " + first.runs() + " (hash "
            + Long.toUnsignedString(first.finalHash()) + ")");
      }
    }
  }

  private static List<String> chosen(List<String> given, List<String> all) {
    if (given == null) {
      return all;
    }
    if (given.equals(List.of("none"))) {
      return List.of();
    }
    return CompareCommand.names("--data-sets/--workloads", given);
  }
}
