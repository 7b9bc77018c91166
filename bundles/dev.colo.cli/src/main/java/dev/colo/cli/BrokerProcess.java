package dev.colo.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The MQTT broker a local pair publishes to when the operator names none: Moquette (lib/colo/dev.colo.broker.jar)
 * in a process of its own, on 127.0.0.1, so that it outlives a node and reports it lost.
 */
final class BrokerProcess {
    static final String JAR = "lib/colo/dev.colo.broker.jar";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private BrokerProcess() {
    }

    /** Starts the embedded broker on {@code host:port}, its data in {@code dir}/broker; returns when it accepts. */
    static PairFile.Mqtt start(Path installation, Path dir, String host, int port) throws IOException, CliException {
        Path jar = installation.resolve(JAR);
        if (!Files.isRegularFile(jar)) {
            throw new CliException("the embedded MQTT broker " + jar + " is missing (give a broker with --mqtt-url)");
        }
        Path data = dir.resolve("broker");
        Files.createDirectories(data);
        Path log = data.resolve("broker.log");
        Process process = Processes.startDetached(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--host", host, "--port", Integer.toString(port), "--data", data.toString()),
                Map.of(), data, log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (accepts(host, port)) {
                return new PairFile.Mqtt("tcp://" + host + ":" + port, process.pid(), data);
            }
            if (!process.isAlive()) {
                break;
            }
            sleep();
        }
        Processes.terminate(process.pid(), GRACE);
        throw new CliException("the embedded MQTT broker did not start on port " + port + ":\n"
                + Processes.tail(log, 20));
    }

    /** Stops the embedded broker of {@code mqtt}, if it runs; says what it did. */
    static String stop(PairFile.Mqtt mqtt) {
        if (mqtt == null || !mqtt.embedded()) {
            return "MQTT broker: not ours, left running";
        }
        if (!Processes.isOurs(mqtt.brokerPid(), mqtt.brokerData().toString())) {
            return "MQTT broker: not running (pid " + mqtt.brokerPid() + ")";
        }
        Processes.terminate(mqtt.brokerPid(), GRACE);
        return "MQTT broker: stopped pid " + mqtt.brokerPid();
    }

    /** How to watch the pair's events. */
    static String subscribeHint(PairFile.Mqtt mqtt) {
        URI uri = URI.create(mqtt.url());
        return "mosquitto_sub -h " + uri.getHost() + " -p " + uri.getPort() + " -t 'colo/v1/#' -v"
                + (mqtt.url().startsWith("ssl://") ? " --cafile <the broker's CA>" : "");
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
