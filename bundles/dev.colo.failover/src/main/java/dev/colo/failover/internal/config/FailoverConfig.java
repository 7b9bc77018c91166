package dev.colo.failover.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@link FailoverSettings}. */
@ObjectClassDefinition(id = FailoverSettings.PID, name = "COLO failover",
        description = "When and how the secondary becomes the primary")
public @interface FailoverConfig {
    @AttributeDefinition(description = "Fail over by itself when the primary is DEAD")
    boolean automatic() default true;

    @AttributeDefinition(description = "none (risky: a primary alive but unreachable keeps serving too) or command")
    String fencing() default "none";

    @AttributeDefinition(description = "With fencing = command: /bin/sh -c COMMAND; exit status 0 means fenced")
    String fencing_command() default "";

    @AttributeDefinition(description = "The longest the fencing command may run (ms)", min = "10")
    long fencing_timeout_ms() default 5000;

    @AttributeDefinition(description = "Run once this node is the primary (e.g. move a floating IP); empty: none")
    String takeover_command() default "";

    @AttributeDefinition(description = "The longest the disks' failover commit may take (ms)", min = "100")
    long commit_timeout_ms() default 60000;
}
