package dev.colo.proxy.internal.mina;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.proxy.internal.config.ServiceSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The primary's service port already taken by another socket (as right after a failover, before whoever held it
 * let go): the proxy says it does not listen, tries again, and serves clients once the port is free.
 */
class ServiceProxyListenTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String BIND_FAILED = "false java.net.BindException: Address already in use";

    private final List<String> changes = new CopyOnWriteArrayList<>();
    private EchoGuest guest;
    private ServerSocket holder;

    @BeforeEach
    void takeThePort() throws IOException {
        guest = new EchoGuest();
        holder = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void release() throws IOException {
        holder.close();
        guest.close();
    }

    @Test
    void aTakenPortIsRetriedUntilItIsFreeThenClientsAreServed() throws Exception {
        int port = holder.getLocalPort();
        ServiceProxy proxy = primary("taken", port);
        try {
            assertNull(proxy.start(), "the port is taken");
            // several retries fail meanwhile (100, 200, 400 ms): still not listening, and the failure told once
            await().during(Duration.ofMillis(700)).atMost(PATIENCE)
                    .until(() -> !proxy.isListening() && changes.equals(List.of(BIND_FAILED)));

            holder.close();

            await().atMost(PATIENCE).until(proxy::isListening);
            assertEquals(List.of(BIND_FAILED, "true "), changes);
            EchoGuest.assertEchoes(port);
        } finally {
            proxy.close();
        }
        assertEquals(List.of(BIND_FAILED, "true ", "false "), changes, "the stop is told too");
        await().atMost(PATIENCE).until(() -> threadsOf("taken").isEmpty());
    }

    @Test
    void closingWhileItRetriesLeavesNoThreadAndTheVacatedPortUnbound() throws Exception {
        int port = holder.getLocalPort();
        ServiceProxy proxy = primary("closed", port);
        proxy.start();
        assertFalse(proxy.isListening());

        proxy.close();
        await().atMost(PATIENCE).until(() -> threadsOf("closed").isEmpty());
        holder.close();

        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertTrue(again.isBound(), "nothing of the closed proxy took the port");
        }
        assertEquals(List.of(BIND_FAILED), changes);
    }

    @Test
    void aSecondaryDoesNotListen() {
        ServiceProxy proxy = new ServiceProxy(settings("mirror", holder.getLocalPort()), Role.SECONDARY,
                message -> CompletableFuture.completedFuture(null), (reason, detail) -> { }, (id, offset) -> { },
                (listening, error) -> changes.add(listening + " " + error), false);
        try {
            assertNull(proxy.start());
            assertFalse(proxy.isListening());
        } finally {
            proxy.close();
        }
        assertEquals(List.of(), changes);
    }

    /** A primary forwarding directly (no secondary) to the echo guest; its listening changes go to {@link #changes}. */
    private ServiceProxy primary(String name, int port) {
        return new ServiceProxy(settings(name, port), Role.PRIMARY, message -> CompletableFuture.completedFuture(null),
                (reason, detail) -> { }, (id, offset) -> { }, (listening, error) -> changes.add(listening + " " + error),
                false);
    }

    private ServiceSettings settings(String name, int port) {
        return ServiceSettings.parse(Map.of(ServiceSettings.NAME, name, ServiceSettings.LISTEN_ADDRESS, "127.0.0.1",
                ServiceSettings.LISTEN_PORT, Integer.toString(port), ServiceSettings.GUEST_PORT,
                Integer.toString(guest.port())));
    }


    /** The live threads of the proxy of service {@code name} (its I/O and timer threads). */
    private static List<String> threadsOf(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(thread -> thread.startsWith("colo-proxy-" + name + "-")).toList();
    }
}
