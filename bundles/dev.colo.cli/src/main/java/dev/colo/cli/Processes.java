package dev.colo.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Free loopback ports, short commands, detached processes and their end. */
final class Processes {
    /**
     * Ports are chosen below the kernel's ephemeral range: one from that range can be taken by any outgoing
     * connection (the nodes make many) between being chosen and a node binding it, which made a pair fail to
     * start once.
     */
    private static final int LOWEST_CHOSEN_PORT = 10_000;
    private Processes() {
    }

    /** {@code count} distinct TCP ports that were free on 127.0.0.1 a moment ago (bound to port 0, then released). */
    static List<Integer> freeLoopbackPorts(int count) throws IOException {
        int below = ephemeralPortsStart();
        Set<Integer> ports = new LinkedHashSet<>();
        Random random = new Random();
        for (int attempt = 0; ports.size() < count && attempt < 100 * count; attempt++) {
            int port = LOWEST_CHOSEN_PORT + random.nextInt(below - LOWEST_CHOSEN_PORT);
            if (!ports.contains(port) && bindable(port)) {
                ports.add(port);
            }
        }
        if (ports.size() < count) {
            throw new IOException("no " + count + " free ports between " + LOWEST_CHOSEN_PORT + " and " + below);
        }
        return List.copyOf(ports);
    }

    private static int ephemeralPortsStart() {
        try {
            // (readString of a /proc file can stop after the first byte: its size is 0; lines are read to the end)
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            int start = Integer.parseInt(range.split("\\s+")[0]);
            return start > LOWEST_CHOSEN_PORT + 1000 ? start : 32_768;
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** How a short command ended: its exit status (-1: killed after its time ran out) and what it printed. */
    record Finished(int exit, String output) {
    }

    /**
     * Runs a short command, {@code env} added to its environment and nothing on its standard input, for at most
     * {@code timeout}; its standard output and error together are its output.
     *
     * @throws IOException it could not be started
     */
    static Finished run(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return new Finished(-1, output);
        }
        return new Finished(process.exitValue(), output);
    }

    /**
     * Starts {@code command} in a new session (setsid, when present) so that it survives this JVM and
     * the terminal; stdin from /dev/null, stdout and stderr appended to {@code output}.
     */
    static Process startDetached(List<String> command, Map<String, String> env, Path workDir, Path output)
            throws IOException {
        List<String> full = new ArrayList<>();
        Optional<Path> setsid = onPath("setsid");
        setsid.ifPresent(path -> full.add(path.toString()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Alive, and not a zombie that its (new) parent has yet to reap. */
    static boolean isAlive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !ended(pid);
    }

    /**
     * Whether /proc says the process ended: a zombie, dead, or reaped since ProcessHandle saw it (its stat file
     * is gone — a race that once made a process killed and reaped look alive). False when /proc cannot tell.
     */
    private static boolean ended(long pid) {
        try {
            String stat = String.join("\n", Files.readAllLines(Path.of("/proc", Long.toString(pid), "stat")));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (java.nio.file.NoSuchFileException gone) {
            return Files.isDirectory(Path.of("/proc/self"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether {@code pid} is alive and (when the OS tells) its command line mentions {@code marker}, so that
     * a recycled pid is not mistaken for our node.
     */
    static boolean isOurs(long pid, String marker) {
        Optional<ProcessHandle> handle = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (handle.isEmpty() || !isAlive(pid)) {
            return false;
        }
        Optional<String> commandLine = handle.get().info().commandLine();
        if (commandLine.isPresent()) {
            return commandLine.get().contains(marker);
        }
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            return !Files.exists(cmdline) || new String(Files.readAllBytes(cmdline)).replace('\0', ' ').contains(marker);
        } catch (IOException e) {
            return true;
        }
    }

    /** SIGTERM, then SIGKILL if the process is still there after {@code grace}. Returns true if it had to kill. */
    static boolean terminate(long pid, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        handle.get().destroy();
        if (awaitEnd(pid, grace)) {
            return false;
        }
        handle.get().destroyForcibly();
        awaitEnd(pid, Duration.ofSeconds(5));
        return true;
    }

    private static boolean awaitEnd(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !isAlive(pid);
            }
        }
        return true;
    }

    /** The last {@code lines} lines of a text file, or a note that it does not exist. */
    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "(" + file + " does not exist)";
        }
        try {
            List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
