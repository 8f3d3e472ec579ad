package org.guestmem.linux.cprobe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles and runs a C program against a kernel uAPI header to print struct sizes, field offsets and constants, so
 * that the JNA layouts can be compared with what gcc makes of the real header. Only what the installed header
 * declares is asked for (older headers lack newer structs and fields); the caller learns what was left out.
 */
public final class CLayoutProbe {
  private final String header;
  private final String headerText;
  private final List<String> lines = new ArrayList<>();
  private final List<String> missing = new ArrayList<>();

  private CLayoutProbe(String header, String headerText) {
    this.header = header;
    this.headerText = headerText;
  }

  /** A probe for {@code <linux/NAME.h>}, or null when gcc or the header is absent. */
  public static CLayoutProbe forHeader(String include) throws IOException {
    Path path = Path.of("/usr/include", include);
    if (!Files.isReadable(path) || gcc() == null) {
      return null;
    }
    return new CLayoutProbe(include, Files.readString(path));
  }

  /** The gcc on the PATH, or null. */
  public static Path gcc() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "gcc");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** The body of {@code struct name { ... };} in the header, or null. */
  private String body(String struct) {
    Matcher m = Pattern.compile("struct\\s+" + Pattern.quote(struct) + "\\s*\\{(.*?)\\n\\};", Pattern.DOTALL)
        .matcher(headerText);
    return m.find() ? m.group(1) : null;
  }

  /** Asks for the size of {@code struct name} and the offsets of those of {@code fields} the header declares. */
  public CLayoutProbe struct(String name, String... fields) {
    String body = body(name);
    if (body == null) {
      missing.add("struct " + name);
      return this;
    }
    lines.add(String.format("printf(\"size %s %%zu\\n\", sizeof(struct %s));", name, name));
    for (String f : fields) {
      if (Pattern.compile("\\b" + Pattern.quote(f) + "\\b").matcher(body).find()) {
        lines.add(String.format("printf(\"offset %s.%s %%zu\\n\", offsetof(struct %s, %s));", name, f, name, f));
      } else {
        missing.add(name + "." + f);
      }
    }
    return this;
  }

  /** Asks for the value of the macro or enumerator {@code name}. */
  public CLayoutProbe constant(String name) {
    if (!Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(headerText).find()) {
      missing.add(name);
      return this;
    }
    lines.add(String.format("printf(\"const %s %%llu\\n\", (unsigned long long)(%s));", name, name));
    return this;
  }

  /** What the header does not declare (and was therefore not compared). */
  public List<String> missing() {
    return List.copyOf(missing);
  }

  /** Compiles and runs the program; returns {@code "size S" / "offset S.F" / "const C"} to values. */
  public Map<String, Long> run(Path workDir) throws IOException, InterruptedException {
    StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include <" + header
        + ">\nint main(void) {\n");
    for (String l : lines) {
      c.append("  ").append(l).append('\n');
    }
    c.append("  return 0;\n}\n");
    Path src = workDir.resolve("probe.c");
    Path exe = workDir.resolve("probe");
    Files.writeString(src, c.toString());
    exec(List.of(gcc().toString(), "-O0", "-o", exe.toString(), src.toString()));
    String out = exec(List.of(exe.toString()));
    Map<String, Long> values = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] p = line.trim().split(" ");
      values.put(p[0] + " " + p[1], Long.parseUnsignedLong(p[2]));
    }
    return values;
  }

  private static String exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command + " failed: " + out);
    }
    return out;
  }
}
