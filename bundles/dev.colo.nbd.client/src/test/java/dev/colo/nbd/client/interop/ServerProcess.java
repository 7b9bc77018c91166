package dev.colo.nbd.client.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real NBD server (qemu-nbd, nbdkit) run as a process on a free port; tests skip if it is missing. */
final class ServerProcess implements AutoCloseable {
    final int port;
    private final List<String> command;
    private Process process;

    private ServerProcess(int port, List<String> command) {
        this.port = port;
        this.command = command;
    }

    static void assumeInstalled(String tool) {
        assumeTrue(ThisMachine.hasTool(tool), tool + " is not installed (Debian: qemu-utils / nbdkit): interop test skipped");
    }


    /** Starts {@code command}, in which {@code PORT} is replaced by a free port, and waits until it listens. */
    static ServerProcess start(String... command) throws Exception {
        int port = ThisMachine.freePort();
        List<String> args = new ArrayList<>();
        for (String arg : command) {
            args.add(arg.replace("PORT", Integer.toString(port)));
        }
        ServerProcess server = new ServerProcess(port, args);
        server.restart();
        return server;
    }

    void restart() throws Exception {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(String.join(" ", command) + " does not listen on " + port);
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
