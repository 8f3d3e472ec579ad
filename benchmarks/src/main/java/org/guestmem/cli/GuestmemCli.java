package org.guestmem.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.guestmem.cli.replay.InvariantViolation;
import org.guestmem.region.ConversionException;
import org.guestmem.spi.DmaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code guestmem} command line: replay workloads and QEMU traces through store x back-end x policy, compare the
 * combinations, list what is on the class path.
 *
 * <p>Exit codes: 0 success; 2 bad input (unknown name, bad size, bad trace line, bad option), printed as one line;
 * 1 a failure of the system under test (mapping invariant violated, a conversion whose undo failed, a kernel
 * error); 3 the replay ran to the end but some conversions were refused and undone exactly (for example maps past
 * type1's entry limit with the on-demand entry-limit policy), counted in the summary.
 */
@Command(name = "guestmem", mixinStandardHelpOptions = true, version = GuestmemCli.VERSION,
    description = "Guest-memory attribute tracking and DMA-mapping coordination for confidential VMs.")
public final class GuestmemCli implements Runnable {
  /** The tool and its version, as {@code --version} prints it and the JSON records it. */
  public static final String VERSION = "guestmem 0.1.0-SNAPSHOT";
  static final int BAD_INPUT = 2;
  static final int FAILED = 1;
  static final int CONVERSIONS_REFUSED = 3;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    // One line per log record on stderr ("WARNING: ..."), like the command's own messages; a user's format wins.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
    }
    quietLibraryLogs(System.getenv("GUESTMEM_LOG"));
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** The subcommands, in the order help lists them; each is made only when needed. */
  private static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS;

  static {
    java.util.Map<String, java.util.function.Supplier<Object>> m = new java.util.LinkedHashMap<>();
    m.put("replay", ReplayCommand::new);
    m.put("compare", CompareCommand::new);
    m.put("peers", PeersCommand::new);
    m.put("providers", ProvidersCommand::new);
    m.put("workloads", WorkloadsCommand::new);
    m.put("trace", TraceCommand::new);
    m.put("jmh-report", JmhReportCommand::new);
    m.put("measure-run", MeasureRunCommand::new);
    m.put("help", CommandLine.HelpCommand::new);
    SUBCOMMANDS = java.util.Collections.unmodifiableMap(m);
  }

  /**
   * The command line for {@code args}: with only the subcommand they name, when they name one other than
   * {@code help}. Reading a command's options is most of the start-up time before the first argument is checked,
   * so a bad invocation is refused sooner when the other commands are not read at all.
   */
  static CommandLine commandLine(String[] args) {
    CommandLine cli = new CommandLine(new GuestmemCli());
    String named = args.length > 0 && !args[0].equals("help") && SUBCOMMANDS.containsKey(args[0]) ? args[0] : null;
    SUBCOMMANDS.forEach((name, command) -> {
      if (named == null || named.equals(name)) {
        cli.addSubcommand(name, command.get());
      }
    });
    return cli;
  }

  /** Runs the command line with the given streams and returns the exit code (what tests call). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(commandLine(args), args, out, err);
  }

  /** Runs {@code args} on {@code cli} (from {@link #commandLine}, a test may adjust its commands first). */
  static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, a) -> {
      String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
      ex.getCommandLine().getErr().println(cmd + ": " + ex.getMessage() + " (see '" + cmd + " --help')");
      return BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      String cmd = commandLine.getCommandSpec().qualifiedName();
      PrintWriter e = commandLine.getErr();
      if (ex instanceof IllegalArgumentException || ex instanceof UncheckedIOException) {
        e.println(cmd + ": " + oneLine(ex.getMessage()));
        return BAD_INPUT;
      }
      if (ex instanceof InvariantViolation) {
        e.println(cmd + ": mapping invariant violated " + oneLine(ex.getMessage()));
        return FAILED;
      }
      if (ex instanceof ConversionException || ex instanceof DmaException || ex instanceof IllegalStateException
          || ex instanceof UnsupportedOperationException) {
        e.println(cmd + ": " + oneLine(ex.getMessage()));
        return FAILED;
      }
      e.println(cmd + ": " + ex.getClass().getSimpleName() + ": " + oneLine(ex.getMessage()));
      if (System.getenv("GUESTMEM_DEBUG") != null) {
        ex.printStackTrace(e);
      }
      return FAILED;
    });
    return cli.execute(args);
  }

  /** Held so that the level set on it stays (the logging framework keeps loggers only weakly). */
  private static java.util.logging.Logger libraryLogger;

  /**
   * The library logs every refused conversion at INFO, which a replay on demand past an entry limit makes by the
   * thousand and counts in its summary anyway: the command shows WARNING and above unless {@code GUESTMEM_LOG}
   * names another level (e.g. {@code INFO}, {@code FINE}).
   */
  static void quietLibraryLogs(String level) {
    libraryLogger = java.util.logging.Logger.getLogger("org.guestmem");
    java.util.logging.Level chosen;
    try {
      chosen = java.util.logging.Level.parse(level == null ? "WARNING" : level.trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      chosen = java.util.logging.Level.WARNING;
    }
    libraryLogger.setLevel(chosen);
    if (chosen.intValue() < java.util.logging.Level.INFO.intValue()) {
      // The console handler passes INFO and above by default; a finer level asked for must reach the screen too.
      for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
        h.setLevel(chosen);
      }
    }
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replace('\n', ' ');
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
