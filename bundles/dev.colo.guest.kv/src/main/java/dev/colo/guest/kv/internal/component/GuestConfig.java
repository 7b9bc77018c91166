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
}
