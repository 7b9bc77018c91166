package dev.colo.itests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Driver-side processes: commands run with their output in a log file, and waiting for a process to end. */
public final class Processes {
    private Processes() {
    }

    /** How a command ended: its exit code (-1 when it was killed for taking too long) and its output. */
    public record Result(int exit, String output) {
    }

    /**
     * Runs {@code command} (in {@code workDir}, or the current directory when null) with its output into
     * {@code log}, which is then echoed; kills it when it takes longer than {@code timeout}.
     */
    public static Result run(List<String> command, Path workDir, Path log, Duration timeout)
            throws IOException, InterruptedException {
        return run(command, workDir, null, log, timeout);
    }

    /** {@link #run(List, Path, Path, Duration)} with {@code input} (a file; null for none) as its standard input. */
    public static Result run(List<String> command, Path workDir, Path input, Path log, Duration timeout)
            throws IOException, InterruptedException {
        System.out.println("[driver] $ " + String.join(" ", command) + (input == null ? "" : " < " + input));
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        if (input != null) {
            builder.redirectInput(input.toFile());
        }
        Process process = builder.start();
        if (input == null) {
            process.getOutputStream().close();
        }
        int exit;
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            exit = process.exitValue();
        } else {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            exit = -1;
        }
        String output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        if (exit == -1) {
            output += "\n[driver] " + String.join(" ", command) + " did not finish within " + timeout + ": killed\n";
        }
        String name = Path.of(command.get(0)).getFileName().toString();
        output.lines().forEach(line -> System.out.println("[" + name + "] " + line));
        return new Result(exit, output);
    }

    /**
     * Runs a short command (at most 30 s) and returns its output; an IOException names the command and what it
     * printed when it cannot start, fails or hangs.
     */
    public static String require(List<String> command) throws IOException {
        String line = String.join(" ", command);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(line + " did not finish within 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(line + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + line, e);
        }
    }

    /**
     * Whether the process ended within {@code timeout}; a zombie (ended, waiting to be reaped by a parent that
     * is not this JVM) counts as ended. The handle carries the start time: a recycled pid is not the process.
     */
    public static boolean gone(ProcessHandle process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive() || zombie(process.pid())) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return false; // no /proc entry: gone, or not Linux
        }
    }
}
