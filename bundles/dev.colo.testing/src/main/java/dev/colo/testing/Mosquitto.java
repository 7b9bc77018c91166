package dev.colo.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for tests, on a port of the caller's choosing on 127.0.0.1, anonymous, with persistence
 * (its sessions and queued messages survive {@link #stop()} and {@link #start()}), plain or TLS.
 */
public final class Mosquitto implements AutoCloseable {
    private static final List<Path> BINARIES = List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/bin/mosquitto"),
            Path.of("/usr/local/sbin/mosquitto"));

    private final Path dir;
    private final int port;
    private final BrokerCertificates tls;
    private Process process;

    private Mosquitto(Path dir, int port, BrokerCertificates tls) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
    }

    /** Whether Mosquitto is installed (Debian: package mosquitto). */
    public static boolean available() {
        return binary() != null;
    }

    /** A broker in {@code dir} on {@code port}, started; with {@code tls} (null for plain TCP). */
    public static Mosquitto start(Path dir, int port, BrokerCertificates tls) throws IOException, InterruptedException {
        Mosquitto broker = new Mosquitto(dir, port, tls);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mosquitto.conf"), broker.config());
        broker.start();
        return broker;
    }

    /** Starts the broker (again), and waits until it accepts connections. */
    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(binary().toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("mosquitto ended at start: " + Files.readString(dir.resolve("out.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new IOException("mosquitto does not listen on " + port + " after 10 s");
    }

    /** Stops the broker as a service stop would (SIGTERM): it saves its sessions and queued messages. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Freezes the broker (SIGSTOP): its connections stay open and nothing is answered, as with a hung broker. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Thaws a frozen broker (SIGCONT). */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited " + kill.exitValue());
        }
    }

    /** {@code tcp://127.0.0.1:<port>}, or {@code ssl://…} with TLS. */
    public String url() {
        return (tls == null ? "tcp" : "ssl") + "://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private String config() {
        StringBuilder config = new StringBuilder()
                .append("listener ").append(port).append(" 127.0.0.1\n")
                .append("allow_anonymous true\n")
                // started as root, mosquitto would become the user mosquitto, who cannot write a test's directory
                .append("user ").append(System.getProperty("user.name")).append('\n')
                .append("persistence true\n")
                .append("persistence_location ").append(dir.toAbsolutePath()).append("/\n")
                .append("log_dest file ").append(dir.toAbsolutePath().resolve("mosquitto.log")).append('\n')
                .append("log_type all\n");
        if (tls != null) {
            config.append("cafile ").append(tls.caPem()).append('\n')
                    .append("certfile ").append(tls.brokerCertificatePem()).append('\n')
                    .append("keyfile ").append(tls.brokerKeyPem()).append('\n');
        }
        return config.toString();
    }

    private static Path binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }
}
