package dev.colo.checkpoint.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.checkpoint.internal.faults.InjectedFaults;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A fault injected at each step of a checkpoint, on either side: the checkpoint fails at that step, both guests
 * go on, and the secondary knows that it no longer holds the primary's state (so it will not take over with it).
 */
class CheckpointFaultInjectionTest {
    private static final Set<CheckpointReason> OPERATOR = Set.of(CheckpointReason.OPERATOR);
    private static final Duration REPLY_TIMEOUT = Duration.ofMillis(500);

    @ParameterizedTest
    @EnumSource(CheckpointStep.class)
    void aFailureAtAnyStepOfThePrimaryFailsTheCheckpointThereAndMakesTheSecondaryStale(CheckpointStep step)
            throws Exception {
        try (CheckpointPair pair = failingAt(Role.PRIMARY, step)) {
            assertTrue(pair.events.stream().anyMatch(e -> e.startsWith("secondary stale 1")), pair.events.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(value = CheckpointStep.class, names = {"REQUEST", "TRANSFER", "LOAD"})
    void aFailureAtAStepOfTheSecondaryFailsThePrimarysCheckpointAtThatStep(CheckpointStep step) throws Exception {
        try (CheckpointPair pair = failingAt(Role.SECONDARY, step)) {
            assertEquals(-1, pair.secondary.loadedEpoch(), "nothing loaded");
            assertTrue(pair.events.contains("secondary stale 1 at " + step), pair.events.toString());
        }
    }

    /** A pair whose first checkpoint ran with a FAIL armed at {@code step} of {@code side}, and failed there. */
    private static CheckpointPair failingAt(Role side, CheckpointStep step) throws Exception {
        InjectedFaults faults = new InjectedFaults(() -> { });
        faults.arm(side, step.name(), "FAIL");
        CheckpointPair pair = side == Role.PRIMARY ? new CheckpointPair(REPLY_TIMEOUT, faults, InjectedFaults.NONE)
                : new CheckpointPair(REPLY_TIMEOUT, InjectedFaults.NONE, faults);
        pair.primaryGuest.put("k", "v");
        CheckpointRecord record = pair.primary.run(1, true, OPERATOR);
        pair.settle();
        assertFalse(record.completed());
        assertEquals(step, record.failedStep(), record.detail());
        assertTrue(record.detail().contains("fault injected"), record.detail());
        assertFalse(pair.primaryGuest.paused || pair.secondaryGuest.paused, "both guests go on");
        return pair;
    }

    @ParameterizedTest
    @EnumSource(CheckpointStep.class)
    void aCrashOfThePrimaryComesAtTheStartOfItsStep(CheckpointStep step) throws Exception {
        List<String> seenAtCrash = new CopyOnWriteArrayList<>();
        CheckpointPair[] holder = new CheckpointPair[1];
        InjectedFaults faults = new InjectedFaults(() -> seenAtCrash.addAll(holder[0].events));
        faults.arm(Role.PRIMARY, step.name(), "CRASH");
        try (CheckpointPair pair = new CheckpointPair(REPLY_TIMEOUT, faults, InjectedFaults.NONE)) {
            holder[0] = pair;
            pair.primary.run(1, true, OPERATOR);
            assertEquals(1, faults.fired());
            boolean releasedBefore = seenAtCrash.contains("primary released 1");
            assertEquals(step.compareTo(CheckpointStep.RELEASE) > 0, releasedBefore,
                    "held output is released by the RELEASE step and no earlier: " + seenAtCrash);
        }
    }

    @Test
    void theSecondaryGoesStaleWhenThePrimaryEndsProtectionOutsideACheckpoint() throws Exception {
        try (CheckpointPair pair = new CheckpointPair(REPLY_TIMEOUT)) {
            assertTrue(pair.primary.run(1, true, OPERATOR).completed());
            pair.settle();
            pair.secondary.onMessage(new CheckpointMessage.Failed(1,
                    "protection ended: the coordinator stops"));
            assertTrue(pair.events.contains("secondary stale 1 at REQUEST"), pair.events.toString());
            pair.secondary.onMessage(new CheckpointMessage.Failed(0, "late"));
            assertEquals(1, pair.events.stream().filter(e -> e.startsWith("secondary stale")).count(),
                    "a failure older than the loaded checkpoint changes nothing: " + pair.events);
        }
    }
}
