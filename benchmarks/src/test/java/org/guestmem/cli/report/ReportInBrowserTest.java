package org.guestmem.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.guestmem.cli.GuestmemCli;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compare report opened in a real browser (headless Chromium, offline, from the file): every chart decodes to a
 * picture of non-zero size, the browser logs nothing to the console, and a screenshot stays in
 * {@code target/report-in-browser/}. Chromium is found on the PATH (or at {@code GUESTMEM_CHROMIUM}); without it the
 * test is skipped, saying so, unless {@code -Dguestmem.browser=required} (what CI passes), where it fails.
 */
class ReportInBrowserTest {
  static final Path OUT = Path.of("target", "report-in-browser").toAbsolutePath();
  static final int CHARTS = 3;
  static Path chromium;

  @BeforeAll
  static void findChromium() {
    Optional<Path> found = locate();
    if (found.isEmpty() && "required".equals(System.getProperty("guestmem.browser"))) {
      fail("chromium is required (-Dguestmem.browser=required) but neither GUESTMEM_CHROMIUM nor chromium, "
          + "chromium-browser or google-chrome on the PATH was found; install Debian's chromium");
    }
    Assumptions.assumeTrue(found.isPresent(), "chromium not found: the browser check of report.html is skipped "
        + "(install Debian's chromium to run it; CI runs it with -Dguestmem.browser=required)");
    chromium = found.get();
  }

  static Optional<Path> locate() {
    String given = System.getenv("GUESTMEM_CHROMIUM");
    if (given != null && Files.isExecutable(Path.of(given))) {
      return Optional.of(Path.of(given));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /** What the browser saw: the images in the page, those decoded, and the console lines it logged. */
  record Seen(int images, int decoded, List<String> console) {}

  static Seen open(Path report) throws IOException, InterruptedException {
    Path dir = report.getParent();
    String check;
    try (InputStream in = ReportInBrowserTest.class.getResourceAsStream("browser-check.html")) {
      check = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path page = dir.resolve("browser-check.html");
    Files.writeString(page, check.replace("report.html", report.getFileName().toString()));
    Path err = dir.resolve("chromium-stderr.txt");
    String dom = run(err, "--allow-file-access-from-files", "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString());
    Matcher m = Pattern.compile("images=(\\d+) decoded=(\\d+)").matcher(dom);
    assertTrue(m.find(), "the check page did not finish; DOM: " + dom);
    List<String> console = new ArrayList<>();
    for (String line : Files.readAllLines(err)) {
      if (line.contains(":CONSOLE")) {
        console.add(line);
      }
    }
    return new Seen(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), console);
  }

  /** Runs headless chromium with {@code args}; returns its stdout, its stderr goes to {@code err}. */
  static String run(Path err, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--user-data-dir=" + OUT.resolve("profile")));
    command.addAll(List.of(args));
    // Output to a file, not a pipe: a helper process chromium leaves behind must not keep the test waiting.
    Path out = err.resolveSibling(err.getFileName() + ".stdout");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not finish in 120 s: " + command);
    }
    return Files.readString(out);
  }

  static Path report() {
    Path dir = OUT.resolve("report");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GuestmemCli.execute(new String[] {"compare", "--workload", "boot-swiotlb", "--size", "8G",
        "--stores", "bitmap", "--dmas", "iommufd,vfio-type1", "--repeats", "1", "--warmup", "0", "--no-fork", "--out",
        dir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    return dir.resolve("report.html");
  }

  @Test
  void everyChartDecodesAndTheConsoleStaysEmpty() throws Exception {
    Path report = report();
    Seen seen = open(report);
    assertEquals(CHARTS, seen.images(), "charts in the page");
    assertEquals(CHARTS, seen.decoded(), "charts decoded to a non-empty picture");
    assertTrue(seen.console().isEmpty(), "console: " + seen.console());
    Path shot = OUT.resolve("report-screenshot.png");
    Files.deleteIfExists(shot);
    run(OUT.resolve("chromium-screenshot-stderr.txt"), "--window-size=1300,2600", "--screenshot=" + shot,
        report.toUri().toString());
    assertTrue(Files.size(shot) > 10_000, "a screenshot of the page in " + shot);
    byte[] png = Files.readAllBytes(shot);
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }

  @Test
  void aChartThatDoesNotDecodeOrIsMissingIsFound() throws Exception {
    Path report = report();
    String html = Files.readString(report);
    // Corrupt the first chart's PNG signature: the image is there but no browser can decode it.
    Path broken = report.resolveSibling("broken.html");
    Files.writeString(broken, html.replaceFirst("base64,iVBORw0KGgo", "base64,AAAAAAAAAAA"));
    Seen seen = open(broken);
    assertEquals(CHARTS, seen.images());
    assertEquals(CHARTS - 1, seen.decoded(), "the corrupt chart is not counted as decoded");
    // Drop the last chart: the page then has one image fewer than the report makes.
    Path missing = report.resolveSibling("missing.html");
    int last = html.lastIndexOf("<figure>");
    Files.writeString(missing, html.substring(0, last) + html.substring(html.indexOf("</figure>", last) + 9));
    assertEquals(CHARTS - 1, open(missing).images());
  }
}
