package dev.colo.guest.kv.internal.server;

import dev.colo.guest.kv.internal.resp.QueryBudget;

/**
 * How a {@link KvServer} bounds and watches its clients.
 *
 * @param maxBulkBytes   the largest argument a client may send
 * @param budget         the bytes of incomplete commands all connections may hold together
 * @param debugCommands  whether {@code DEBUG} (fault injection) is allowed
 * @param watchdogMillis how long commands may be in progress with none completing before the guest is hung
 * @param ordering       whether the guest leads and follows an execution order
 * @param orderTimeoutMillis how long a follower waits for an ordered command before it gives up
 */
public record ServerOptions(int maxBulkBytes, QueryBudget budget, boolean debugCommands, long watchdogMillis,
        boolean ordering, long orderTimeoutMillis) {
}
