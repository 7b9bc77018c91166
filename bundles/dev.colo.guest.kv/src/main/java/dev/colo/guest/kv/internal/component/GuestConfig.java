package dev.colo.guest.kv.internal.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@link GuestSettings}. */
@ObjectClassDefinition(id = GuestSettings.PID, name = "COLO reference guest (key-value store)",
        description = "A key-value store speaking a subset of the Redis protocol, its data on a protected disk")
public @interface GuestConfig {
    @AttributeDefinition(description = "The guest's name, the same on both nodes")
    String name() default "kv";

    @AttributeDefinition(description = "Where the guest listens (the proxy's guest.host)")
    String listen_address() default "127.0.0.1";

    @AttributeDefinition(description = "Where the guest listens (the proxy's guest.port)", min = "1", max = "65535")
    int listen_port();

    @AttributeDefinition(description = "The protected disk the guest keeps its log on (colo.disk.name)")
    String disk();

    @AttributeDefinition(description = "The most the guest's data may take, in bytes (Redis's maxmemory): a write "
            + "beyond it is refused with -OOM; default an eighth of the heap, at most half of it", required = false,
            min = "1048576")
    long max_memory_bytes();

    @AttributeDefinition(description = "The largest argument a client may send, in bytes (Redis's "
            + "proto-max-bulk-len); default 16 MiB or max.memory.bytes if smaller", required = false, min = "1024")
    int proto_max_bulk_len();

    @AttributeDefinition(description = "Accept DEBUG OOM, PANIC and SLEEP (fault injection, for tests only)")
    boolean debug_commands() default false;

    @AttributeDefinition(description = "How long commands may be in progress with none completing before the "
            + "guest is restarted from its disk, in milliseconds", min = "100", max = "3600000")
    long watchdog_timeout_ms() default 10_000;

    @AttributeDefinition(description = "At most this many writes wait to be made durable together (the group "
            + "commit's queue); a client beyond it waits", min = "1", max = "1000000")
    int max_pending_writes() default 4096;

    @AttributeDefinition(description = "At most this many bytes of writes wait to be made durable together; a "
            + "client beyond it waits; default 16 MiB or a quarter of max.memory.bytes if smaller", required = false,
            min = "65536")
    long max_pending_bytes();

    @AttributeDefinition(description = "Lead (primary) and follow (secondary) an execution order, so that both "
            + "guests run concurrent clients' commands in the same order with the primary's clock")
    boolean ordering() default true;

    @AttributeDefinition(description = "How long the secondary waits for a command the primary's order names "
            + "before it stops following until the next checkpoint, in milliseconds", min = "10", max = "600000")
    long order_timeout_ms() default 2_000;
}
