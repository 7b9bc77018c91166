package dev.colo.guest.kv.internal.server;

import dev.colo.guest.kv.internal.resp.QueryBudget;

/**
 * How a {@link KvServer} bounds and watches its clients.
 *
 * @param maxBulkBytes   the largest argument a client may send
 * @param budget         the bytes of incomplete commands all connections may hold together
 * @param debugCommands  whether {@code DEBUG} (fault injection) is allowed
 * @param watchdogMillis how long commands may be in progress with none completing before the guest is hung
 */
public record ServerOptions(int maxBulkBytes, QueryBudget budget, boolean debugCommands, long watchdogMillis) {
}
