package org.guestmem.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The native peers: finds the kernel source ({@code it/real-kernel/kernel-source.sh}), builds the drivers
 * ({@code benchmarks/native/build.sh}) and runs them on a stream file. Where something is missing (gcc, make,
 * liburcu-dev, the source), {@link #prepare} says what and how to install it instead of failing.
 */
public final class NativePeers {
  /** The drivers, by the name the table gives the peer. */
  public static final List<String> PEERS = List.of("maple", "xarray", "qemu-bitmap");
  /** What a Debian machine needs for them. */
  public static final String INSTALL = "apt-get install gcc make liburcu-dev xz-utils";

  private final Path binaries;

  private NativePeers(Path binaries) {
    this.binaries = binaries;
  }

  /** Either the built peers or why there are none. */
  public record Prepared(NativePeers peers, String missing) {}

  /**
   * Builds the drivers into {@code work} from the repository at {@code repo}; the kernel source comes from
   * {@code source} if given, else from kernel-source.sh (which fetches it once into its cache).
   */
  public static Prepared prepare(Path repo, Path work, Path source) throws IOException, InterruptedException {
    return prepare(repo, work, source, NativePeers::onPath);
  }

  /** As {@link #prepare(Path, Path, Path)}, with {@code onPath} saying whether a tool (gcc, make) is installed. */
  public static Prepared prepare(Path repo, Path work, Path source, Predicate<String> onPath)
      throws IOException, InterruptedException {
    for (String tool : List.of("gcc", "make")) {
      if (!onPath.test(tool)) {
        return new Prepared(null, tool + " is not installed (" + INSTALL + ")");
      }
    }
    if (!hasUrcu()) {
      return new Prepared(null, "liburcu-dev (urcu.h) is not installed; the kernel's test harness links it ("
          + INSTALL + ")");
    }
    Path nativeDir = repo.resolve("benchmarks/native");
    Path fetch = repo.resolve("it/real-kernel/kernel-source.sh");
    if (!Files.isRegularFile(nativeDir.resolve("build.sh"))) {
      return new Prepared(null, "no benchmarks/native/build.sh under " + repo + " (run from the repository)");
    }
    Path src = source;
    if (src == null) {
      Result r = exec(List.of(fetch.toString()), null);
      if (r.status != 0) {
        return new Prepared(null, "the kernel source could not be fetched by " + fetch + " (as root, with network; "
            + "needs apt-get, dpkg-deb, xz-utils): " + lastLine(r.err));
      }
      src = Path.of(r.out.strip());
    }
    Files.createDirectories(work);
    Result b = exec(List.of(nativeDir.resolve("build.sh").toString(), src.toString(), work.toString()), null);
    if (b.status != 0) {
      return new Prepared(null, "building the native peers against " + src + " failed: " + lastLine(b.err));
    }
    return new Prepared(new NativePeers(work), null);
  }

  /** Runs peer {@code name} on {@code streamFile} and parses what it prints. */
  public PeerResult run(String name, Path streamFile, int warmup, int repeats)
      throws IOException, InterruptedException {
    String exe = switch (name) {
      case "maple" -> "peer-maple";
      case "xarray" -> "peer-xarray";
      case "qemu-bitmap" -> "peer-qemu";
      default -> throw new IllegalArgumentException("native peer '" + name + "' is not one of " + PEERS);
    };
    Result r = exec(List.of(binaries.resolve(exe).toString(), streamFile.toString(), Integer.toString(warmup),
        Integer.toString(repeats)), null);
    if (r.status != 0) {
      throw new IllegalStateException("native peer " + name + " failed (exit " + r.status + "): " + lastLine(r.err));
    }
    return parse(name, r.out);
  }

  /** Parses a driver's output (see benchmarks/native/peer.h). */
  static PeerResult parse(String name, String out) {
    Map<PhaseKind, Double> ns = new EnumMap<>(PhaseKind.class);
    Map<PhaseKind, Long> sums = new EnumMap<>(PhaseKind.class);
    long bytes = -1;
    long runs = -1;
    Long hash = null;
    for (String line : out.split("\n")) {
      String[] f = line.trim().split(" ");
      switch (f[0]) {
        case "phase" -> ns.put(PhaseKind.ofCode(Integer.parseInt(f[1])),
            Long.parseUnsignedLong(f[5]) / (double) Math.max(1, Long.parseLong(f[3])));
        case "checksum" -> sums.put(PhaseKind.ofCode(Integer.parseInt(f[1])), Long.parseUnsignedLong(f[2]));
        case "bytes" -> bytes = Long.parseLong(f[1]);
        case "runs" -> runs = Long.parseLong(f[1]);
        case "final" -> hash = Long.parseUnsignedLong(f[1]);
        default -> { }
      }
    }
    if (bytes < 0 || runs < 0 || hash == null) {
      throw new IllegalStateException("native peer " + name + " printed no bytes/runs/final lines: " + out);
    }
    return new PeerResult(name, ns, sums, bytes, runs, hash);
  }

  /** Whether urcu.h is in a usual include directory (Debian puts it under the multiarch one). */
  private static boolean hasUrcu() throws IOException {
    for (String dir : List.of("/usr/include", "/usr/local/include")) {
      Path d = Path.of(dir);
      if (Files.exists(d.resolve("urcu.h"))) {
        return true;
      }
      if (Files.isDirectory(d)) {
        try (var subdirs = Files.list(d)) {
          if (subdirs.anyMatch(sub -> Files.exists(sub.resolve("urcu.h")))) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether {@code tool} is an executable in a directory of {@code PATH}. */
  public static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private record Result(int status, String out, String err) {}

  private static Result exec(List<String> cmd, Path dir) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Path err = Files.createTempFile("guestmem-peer", ".err");
    try {
      pb.redirectError(err.toFile());
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(2, TimeUnit.HOURS)) {
        p.destroyForcibly();
        throw new IllegalStateException(cmd.get(0) + " did not finish within 2 hours");
      }
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
