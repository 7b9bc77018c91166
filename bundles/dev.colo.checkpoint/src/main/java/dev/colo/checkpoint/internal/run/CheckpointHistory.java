package dev.colo.checkpoint.internal.run;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.api.management.CheckpointCounts;
import dev.colo.api.management.CheckpointStepTimes;
import dev.colo.api.management.CheckpointSummary;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What the checkpoints of this node did, for the MXBean: counts, the last one, and p99 of each step. */
public final class CheckpointHistory {
    /** Completed checkpoints the percentiles are taken over. */
    static final int WINDOW = 1000;

    private final Map<CheckpointReason, Long> byReason = new EnumMap<>(CheckpointReason.class);
    private final long[][] stepWindow = new long[CheckpointStep.values().length + 1][WINDOW];
    private long completed;
    private long failed;
    private CheckpointSummary last = CheckpointSummary.NONE;
    private CheckpointStepTimes lastSteps = CheckpointStepTimes.NONE;

    public synchronized void add(CheckpointRecord record) {
        record.reasons().forEach(reason -> byReason.merge(reason, 1L, Long::sum));
        last = new CheckpointSummary(record.epoch(), reasons(record), record.full(), record.completed(),
                record.failedStep() == null ? "" : record.failedStep().name(), record.detail(), record.stateBytes(),
                record.pausedNanos() / 1000, Instant.now().toString());
        if (!record.completed()) {
            failed++;
            return;
        }
        int slot = (int) (completed % WINDOW);
        completed++;
        long[] micros = micros(record);
        for (int i = 0; i < micros.length; i++) {
            stepWindow[i][slot] = micros[i];
        }
        lastSteps = times(micros);
    }

    public synchronized CheckpointCounts counts() {
        return new CheckpointCounts(completed, failed, count(CheckpointReason.PERIODIC),
                count(CheckpointReason.MISCOMPARE), count(CheckpointReason.COMPARE_TIMEOUT),
                count(CheckpointReason.QUEUE_BOUND), count(CheckpointReason.OPERATOR), count(CheckpointReason.PROTECT));
    }

    public synchronized CheckpointSummary last() {
        return last;
    }

    public synchronized CheckpointStepTimes lastSteps() {
        return lastSteps;
    }

    /** The 99th percentile of each step over the last {@value #WINDOW} completed checkpoints. */
    public synchronized CheckpointStepTimes p99Steps() {
        int size = (int) Math.min(completed, WINDOW);
        if (size == 0) {
            return CheckpointStepTimes.NONE;
        }
        long[] p99 = new long[stepWindow.length];
        for (int i = 0; i < stepWindow.length; i++) {
            long[] sorted = Arrays.copyOf(stepWindow[i], size);
            Arrays.sort(sorted);
            p99[i] = sorted[Math.min(size - 1, (int) Math.ceil(size * 0.99) - 1)];
        }
        return times(p99);
    }

    /** Why the checkpoint ran, comma-separated in the order of {@link CheckpointReason}. */
    public static String reasons(CheckpointRecord record) {
        return reasons(record.reasons());
    }

    /** The reasons as events carry them: names, in declaration order, comma-separated. */
    public static String reasons(Set<CheckpointReason> reasons) {
        return reasons.stream().sorted().map(Enum::name).collect(Collectors.joining(","));
    }

    private long count(CheckpointReason reason) {
        return byReason.getOrDefault(reason, 0L);
    }

    /** Each step's µs, then the paused µs. */
    private static long[] micros(CheckpointRecord record) {
        CheckpointStep[] steps = CheckpointStep.values();
        long[] micros = new long[steps.length + 1];
        for (int i = 0; i < steps.length; i++) {
            micros[i] = record.stepMicros(steps[i]);
        }
        micros[steps.length] = record.pausedNanos() / 1000;
        return micros;
    }

    private static CheckpointStepTimes times(long[] m) {
        return new CheckpointStepTimes(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
    }
}
