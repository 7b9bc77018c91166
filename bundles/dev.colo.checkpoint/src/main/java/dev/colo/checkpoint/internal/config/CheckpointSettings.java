package dev.colo.checkpoint.internal.config;

import dev.colo.api.config.ConfigReader;
import java.util.List;
import java.util.Map;

/**
 * The validated configuration of the checkpoint coordinator (PID {@value #PID}; every key has a default, so
 * the file is optional). {@link #parse} throws an {@link dev.colo.api.config.InvalidConfigurationException}
 * naming the key and quoting the value.
 *
 * @param intervalMillis     a periodic checkpoint this long after the previous one; 0 turns them off
 * @param minGapMillis       requests closer than this to the previous checkpoint wait and coalesce
 * @param replyTimeoutMillis the longest wait for each answer of the secondary; longer fails the checkpoint
 * @param faultInjection     whether an operator may arm faults at checkpoint steps (MXBean
 *                           {@code dev.colo:type=CheckpointFaults}): for testing a pair, never in production
 */
public record CheckpointSettings(long intervalMillis, long minGapMillis, long replyTimeoutMillis,
                                 boolean faultInjection) {
    public static final String PID = "dev.colo.checkpoint";
    public static final String INTERVAL_MS = "checkpoint.interval.ms";
    public static final String MIN_GAP_MS = "checkpoint.min.gap.ms";
    public static final String REPLY_TIMEOUT_MS = "checkpoint.reply.timeout.ms";
    public static final String FAULT_INJECTION = "checkpoint.fault.injection";
    public static final List<String> KEYS = List.of(INTERVAL_MS, MIN_GAP_MS, REPLY_TIMEOUT_MS, FAULT_INJECTION);

    /** The settings of a node without a configuration file. */
    public CheckpointSettings(long intervalMillis, long minGapMillis, long replyTimeoutMillis) {
        this(intervalMillis, minGapMillis, replyTimeoutMillis, false);
    }

    public static CheckpointSettings parse(Map<String, ?> properties) {
        ConfigReader config = new ConfigReader(PID, properties);
        long interval = config.longInRange(INTERVAL_MS, 2000, 0, 3_600_000);
        long minGap = config.longInRange(MIN_GAP_MS, 20, 0, 60_000);
        long replyTimeout = config.longInRange(REPLY_TIMEOUT_MS, 2000, 10, 600_000);
        if (interval > 0 && interval < minGap) {
            throw config.invalid(INTERVAL_MS, config.text(INTERVAL_MS), "is shorter than " + MIN_GAP_MS + " (" + minGap
                    + " ms)");
        }
        return new CheckpointSettings(interval, minGap, replyTimeout, config.bool(FAULT_INJECTION, false));
    }

    /** Keys present that the coordinator does not know (probably misspelt); framework keys are ignored. */
    public static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(PID, properties).unknownKeys(KEYS);
    }
}
