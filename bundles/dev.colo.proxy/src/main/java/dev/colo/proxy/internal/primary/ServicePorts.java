package dev.colo.proxy.internal.primary;

import dev.colo.proxy.internal.wire.ProxyMessage;
import java.util.function.Consumer;

/**
 * What every connection of one service shares on the primary.
 *
 * @param mirror      the peer link towards the secondary's proxy
 * @param checkpoints where checkpoints are asked for
 * @param miscompares told of each connection's first miscompare in an epoch (connection id, offset)
 * @param counters    the service's counters
 */
public record ServicePorts(Consumer<ProxyMessage> mirror, ConnectionPorts.Checkpoints checkpoints,
        MiscompareListener miscompares, ConnectionCounters counters) {

    /** Told of a miscompare (the connection asks for a checkpoint at the same time). */
    @FunctionalInterface
    public interface MiscompareListener {
        void miscompare(long connection, long offset);
    }
}
