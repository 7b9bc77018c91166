package dev.colo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code colo console}: the Karaf console of one node of the local pair, through the installation's
 * {@code bin/client} (SSH) logged in with the pair's credentials.
 *
 * <p>A command is run in the client's batch mode ({@code -b}), the command line on the client's standard input. Given
 * as an argument instead, Karaf's client closes the SSH channel as soon as its own standard input reaches its end (it
 * watches it so that a user can end the command), which a script, a pipe or {@code </dev/null} reach at once: the
 * channel is closed before the command's output arrives and the client prints only {@code Closed}. In batch mode it
 * does not watch its input once it has read the command.
 */
final class ConsoleCommand implements Command {
    static final String CLIENT = "bin/client";

    @Override
    public String name() {
        return "console";
    }

    @Override
    public String usage() {
        return """
                console [--dir DIR] [--node NODE] [COMMAND...]
                    Opens the Karaf console of NODE (default the primary) of the pair in DIR (default ./pair): the
                    installation's bin/client over SSH to the node's sshPort, logged in with the user and password
                    of DIR/pair.json. With COMMAND (every word after the options, joined with spaces into one
                    console line, e.g. colo:status or colo:events --count 5): runs it, prints its output and exits
                    with the client's exit code; works from scripts and pipes as well. Without: an interactive
                    console (logout or Ctrl-D to leave). Words after -- are the command even if they start with -.""";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "node");
    }

    @Override
    public boolean takesCommandLine() {
        return true;
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        PairFile.Pair pair = PairFile.readIn(PairDirs.dir(args), "start one with bin/colo pair up");
        PairFile.Node node = pair.node(args.value("node", ""), "primary");
        String line = commandLine(args.positional());
        Path client = pair.installation().resolve(CLIENT);
        if (!Files.isExecutable(client)) {
            throw new CliException("no Karaf client at " + client + " (the installation of the pair in pair.json)");
        }
        ProcessBuilder builder = new ProcessBuilder(clientCommand(client, node, !line.isEmpty()));
        builder.environment().putAll(environment(System.getenv(), System.getProperty("java.home")));
        if (line.isEmpty()) {
            builder.inheritIO(); // the terminal is the client's: it puts it in raw mode for the remote shell
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CliException("cannot start " + client + ": " + e.getMessage(), e);
        }
        // Ctrl-C on a command (colo:events follows until then) ends this JVM; the client must not outlive it
        Thread stopClient = new Thread(process::destroy, "colo-console-stop");
        Runtime.getRuntime().addShutdownHook(stopClient);
        try {
            if (!line.isEmpty()) {
                try (OutputStream input = process.getOutputStream()) {
                    input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
                copy(process.getInputStream(), out);
            }
            return process.waitFor();
        } catch (IOException e) {
            throw new CliException("console of " + node.nodeId() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new CliException("console of " + node.nodeId() + ": interrupted", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopClient);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now
            }
        }
    }

    /** The console line: the words as given, joined with spaces (as ssh joins its command's words). */
    static String commandLine(List<String> words) {
        return String.join(" ", words).strip();
    }

    /**
     * {@code bin/client -h ADDRESS -a SSHPORT -u USER -p PASSWORD [-b]}: {@code -b} when a command is given on its
     * standard input.
     */
    static List<String> clientCommand(Path client, PairFile.Node node, boolean batch) {
        List<String> command = new ArrayList<>(List.of(client.toString(), "-h", node.host().address(), "-a",
                Integer.toString(node.sshPort()), "-u", node.jmx().user(), "-p", node.jmx().password()));
        if (batch) {
            command.add("-b");
        }
        return command;
    }

    /**
     * What the client's environment adds: this JVM's Java as JAVA_HOME when none is set (Karaf's scripts warn without
     * one), and bin/setenv run again even if a Karaf script above this one ran it.
     */
    static Map<String, String> environment(Map<String, String> current, String javaHome) {
        Map<String, String> env = new HashMap<>();
        String set = current.get("JAVA_HOME");
        if (set == null || set.isBlank()) {
            env.put("JAVA_HOME", javaHome);
        }
        env.put("COLO_SETENV_DONE", "");
        return env;
    }

    /** Copies the client's output as it comes (a command that follows events prints for as long as it runs). */
    private static void copy(InputStream from, PrintStream to) throws IOException {
        byte[] buffer = new byte[8192];
        for (int read = from.read(buffer); read >= 0; read = from.read(buffer)) {
            to.write(buffer, 0, read);
            to.flush();
        }
    }
}
