package dev.colo.broker;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * An MQTT broker for a local pair: Moquette on one address and port, anonymous, its sessions and queued messages
 * kept in a data directory, telemetry and third-party reporting off. Runs until it is stopped (SIGTERM).
 * <p>Usage: {@code java -jar dev.colo.broker.jar --host 127.0.0.1 --port 1883 --data DIR}
 */
public final class EmbeddedBroker {
    private EmbeddedBroker() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Properties config;
        try {
            config = config(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("dev.colo.broker: " + e.getMessage()
                    + "\nusage: java -jar dev.colo.broker.jar --host ADDRESS --port PORT --data DIR");
            System.exit(2);
            return;
        }
        Files.createDirectories(Path.of(config.getProperty("data_path")));
        Server server = new Server();
        server.startServer(new MemoryConfig(config));
        System.out.println("dev.colo.broker: MQTT on " + config.getProperty("host") + ":" + config.getProperty("port"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stopServer();
            stopped.countDown();
        }, "broker-stop"));
        stopped.await();
    }

    /** Moquette's configuration from the command line; an IllegalArgumentException names what is wrong. */
    static Properties config(List<String> args) {
        String host = value(args, "--host", "127.0.0.1");
        String port = value(args, "--port", null);
        String data = value(args, "--data", null);
        try {
            int number = Integer.parseInt(port);
            if (number < 1 || number > 65_535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port '" + port + "' is not a TCP port (1-65535)");
        }
        Properties config = new Properties();
        config.setProperty("host", host);
        config.setProperty("port", port);
        config.setProperty("websocket_port", "disabled");
        config.setProperty("allow_anonymous", "true");
        config.setProperty("allow_zero_byte_client_id", "true"); // mosquitto_sub and others send none
        config.setProperty("persistence_enabled", "true");
        config.setProperty("data_path", Path.of(data).toAbsolutePath().toString());
        config.setProperty("telemetry_enabled", "false");
        config.setProperty("use_bugsnag", "false");
        config.setProperty("use_metrics", "false");
        return config;
    }

    private static String value(List<String> args, String option, String fallback) {
        int index = args.indexOf(option);
        if (index < 0 || index + 1 >= args.size()) {
            if (fallback == null) {
                throw new IllegalArgumentException(option + " is required");
            }
            return fallback;
        }
        return args.get(index + 1);
    }
}
