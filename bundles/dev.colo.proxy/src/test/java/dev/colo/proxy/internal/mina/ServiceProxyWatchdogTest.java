package dev.colo.proxy.internal.mina;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.proxy.internal.config.ServiceSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's watchdog: a protecting primary whose secondary never answers and whose checkpoints never come holds a
 * client's reply; once longer than {@code watchdog.timeout.ms}, {@link ServiceProxy#hang} says so. A proxy
 * forwarding directly with the same timeout makes progress and is never hung.
 */
class ServiceProxyWatchdogTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final List<String> checkpointsAsked = new CopyOnWriteArrayList<>();
    private EchoGuest guest;

    @BeforeEach
    void startGuest() throws Exception {
        guest = new EchoGuest();
    }

    @AfterEach
    void stopGuest() throws Exception {
        guest.close();
    }

    @Test
    void heldOutputThatNothingReleasesIsAHangOnceOlderThanTheTimeout() throws Exception {
        int port = freePort();
        ServiceProxy proxy = proxy(port, true);
        try {
            proxy.start();
            await().atMost(PATIENCE).until(proxy::isListening);
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                client.getOutputStream().write("held".getBytes(StandardCharsets.US_ASCII));
                // the compare timeout (100 ms) asks for a checkpoint, which never comes
                await().atMost(PATIENCE).until(() -> !checkpointsAsked.isEmpty());
                assertEquals(Optional.empty(), proxy.hang(System.nanoTime()), "not yet older than the timeout");

                await().atMost(PATIENCE).until(() -> proxy.hang(System.nanoTime()).isPresent());
                String hang = proxy.hang(System.nanoTime()).orElseThrow();
                assertTrue(hang.contains("has held output for") && hang.contains("watchdog.timeout.ms 1000"), hang);
            }
        } finally {
            proxy.close();
        }
    }

    @Test
    void aProxyThatReleasesIsNeverHungAndItsSuccessorServesOnTheSamePort() throws Exception {
        int port = freePort();
        ServiceProxy proxy = proxy(port, false);
        ServiceProxy successor = proxy.successor(false);
        try {
            proxy.start();
            await().atMost(PATIENCE).until(proxy::isListening);
            EchoGuest.assertEchoes(port);
            await().during(Duration.ofMillis(1500)).atMost(PATIENCE)
                    .until(() -> proxy.hang(System.nanoTime()).isEmpty());
            proxy.close();

            successor.start();
            await().atMost(PATIENCE).until(successor::isListening);
            EchoGuest.assertEchoes(port);
        } finally {
            proxy.close();
            successor.close();
        }
    }

    private ServiceProxy proxy(int port, boolean protecting) {
        ServiceSettings settings = ServiceSettings.parse(Map.of(ServiceSettings.NAME, "watched",
                ServiceSettings.LISTEN_ADDRESS, "127.0.0.1", ServiceSettings.LISTEN_PORT, Integer.toString(port),
                ServiceSettings.GUEST_PORT, Integer.toString(guest.port()), ServiceSettings.COMPARE_TIMEOUT_MS, "100",
                ServiceSettings.WATCHDOG_TIMEOUT_MS, "1000"));
        // the peer swallows everything: the secondary never answers
        return new ServiceProxy(settings, Role.PRIMARY, message -> CompletableFuture.completedFuture(null),
                (reason, detail) -> checkpointsAsked.add(reason + " " + detail), (id, offset) -> { },
                (listening, error) -> { }, protecting);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
