package dev.colo.proxy.internal.mina;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.wire.ProxyMessage;
import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A primary and a secondary {@link ServiceProxy} in one process: the peer link is an in-order executor that
 * passes every message through the codec, and a stand-in coordinator answers each checkpoint request with
 * "loaded" on the secondary and "released" on the primary.
 */
final class ProxyPair implements AutoCloseable {
    final List<String> checkpointRequests = new CopyOnWriteArrayList<>();
    final ServiceProxy primary;
    final ServiceProxy secondary;
    /** The secondary, for the primary's link (which needs it before the constructor finished). */
    private volatile ServiceProxy secondaryEnd;
    final InetSocketAddress service;
    /** When true, the secondary's redirected output is lost on the way (a stalled or dead secondary). */
    volatile boolean secondarySilent;
    /** While set, the link writes nothing (a congested peer link) until it is counted down. */
    volatile java.util.concurrent.CountDownLatch linkStalled;
    private final ExecutorService link = Executors.newSingleThreadExecutor();
    private final ExecutorService coordinator = Executors.newSingleThreadExecutor();
    private final AtomicLong epochs = new AtomicLong();

    ProxyPair(int primaryGuest, int secondaryGuest, Map<String, String> extraSettings) throws IOException {
        primary = new ServiceProxy(settings(primaryGuest, extraSettings), Role.PRIMARY, message -> CompletableFuture.runAsync(
                () -> {
                    awaitLink();
                    secondaryEnd.peerMessage(viaWire(message));
                }, link), this::checkpoint, (id, offset) -> { }, (listening, error) -> { }, true);
        secondary = new ServiceProxy(settings(secondaryGuest, extraSettings), Role.SECONDARY,
                message -> CompletableFuture.runAsync(() -> {
                    if (!secondarySilent) {
                        primary.peerMessage(viaWire(message));
                    }
                }, link), (reason, detail) -> { }, (id, offset) -> { }, (listening, error) -> { }, true);
        secondaryEnd = secondary;
        secondary.start();
        service = primary.start();
    }

    private void awaitLink() {
        java.util.concurrent.CountDownLatch stalled = linkStalled;
        if (stalled != null) {
            try {
                stalled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A checkpoint, as the stand-in coordinator runs one: loaded on the secondary, released on the primary. */
    void checkpoint(CheckpointReason reason, String detail) {
        checkpointRequests.add(reason + " " + detail);
        coordinator.execute(() -> {
            long epoch = epochs.incrementAndGet();
            link.execute(() -> secondaryEnd.checkpointLoaded(epoch)); // in order with the redirected output
            primary.checkpointReleased(epoch, true);
        });
    }

    private static ProxyMessage viaWire(ProxyMessage message) {
        try {
            return ProxyMessage.decode(message.type(), message.encode());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ServiceSettings settings(int guestPort, Map<String, String> extra) {
        Map<String, Object> properties = new HashMap<>(Map.of(ServiceSettings.NAME, "svc",
                ServiceSettings.LISTEN_ADDRESS, "127.0.0.1", ServiceSettings.LISTEN_PORT, Integer.toString(ThisMachine.freePort()),
                ServiceSettings.GUEST_PORT, Integer.toString(guestPort), ServiceSettings.COMPARE_TIMEOUT_MS, "200"));
        properties.putAll(extra);
        return ServiceSettings.parse(properties);
    }


    @Override
    public void close() {
        primary.close();
        secondary.close();
        link.shutdownNow();
        coordinator.shutdownNow();
    }
}
