package dev.colo.checkpoint.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@link CheckpointSettings} (for the web console and {@code config:} commands). */
@ObjectClassDefinition(id = CheckpointSettings.PID, name = "COLO checkpoint coordinator",
        description = "When checkpoints run and how long the primary waits for the secondary")
public @interface CheckpointConfig {
    @AttributeDefinition(description = "A periodic checkpoint this long after the previous one (ms); 0: none",
            min = "0")
    long checkpoint_interval_ms() default 2000;

    @AttributeDefinition(description = "Requests closer than this to the previous checkpoint wait and coalesce (ms)",
            min = "0")
    long checkpoint_min_gap_ms() default 20;

    @AttributeDefinition(description = "The longest wait for each answer of the secondary (ms)", min = "10")
    long checkpoint_reply_timeout_ms() default 2000;

    @AttributeDefinition(description = "Lets an operator arm faults at checkpoint steps (MXBean "
            + "dev.colo:type=CheckpointFaults): for testing a pair, never in production")
    boolean checkpoint_fault_injection() default false;
}
