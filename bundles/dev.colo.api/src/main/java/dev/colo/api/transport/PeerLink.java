package dev.colo.api.transport;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The authenticated message link to the peer appliance. Each node dials the peer for its outgoing
 * messages and accepts the peer's connections for incoming ones, so each direction has one owner that
 * reconnects it with backoff.
 */
@ProviderType
public interface PeerLink {
    /** Current state of the link. */
    LinkState state();

    /**
     * Queues a message to the peer on a channel.
     *
     * @param type    message type, 1–255 bytes of UTF-8 (e.g. {@code heartbeat}, {@code checkpoint.request})
     * @param payload message body; at most the configured maximum frame size
     * @return completes when the message was written to the connection; fails with a
     *         {@link dev.colo.api.ColoException} ({@code LINK_DOWN}) when that channel is not connected, or
     *         with {@link IllegalArgumentException} when type or payload are out of bounds
     */
    CompletableFuture<Void> send(LinkChannel channel, String type, byte[] payload);

    /** {@link System#nanoTime()} when anything was last received from the peer, or {@link Long#MIN_VALUE} if never. */
    long lastHeardNanos();

    /**
     * {@link System#nanoTime()} when the peer's host last refused a connection to its peer-link port (nothing
     * listens there: the peer's process is gone, as after a crash or {@code kill -9}), or {@link Long#MIN_VALUE}
     * if never. The failure detector takes a refusal after the peer was last heard as proof of its death.
     */
    long lastRefusedNanos();

    PeerLinkStats stats();
}
