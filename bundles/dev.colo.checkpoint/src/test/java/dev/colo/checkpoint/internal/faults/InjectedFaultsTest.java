package dev.colo.checkpoint.internal.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.checkpoint.internal.run.CheckpointFailure;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InjectedFaultsTest {
    private final AtomicInteger crashes = new AtomicInteger();
    private final InjectedFaults faults = new InjectedFaults(crashes::incrementAndGet);

    @Test
    void aFailFiresOnceAtItsStepAndNowhereElse() throws Exception {
        faults.arm(Role.PRIMARY, "release", "fail");
        faults.at(CheckpointStep.TRANSFER, 7);
        CheckpointFailure failure = assertThrows(CheckpointFailure.class, () -> faults.at(CheckpointStep.RELEASE, 7));
        assertEquals(CheckpointStep.RELEASE, failure.step());
        assertTrue(failure.getMessage().contains("fault injected: FAIL at RELEASE"), failure.getMessage());
        faults.at(CheckpointStep.RELEASE, 8); // fired already: the next checkpoint goes through
        assertEquals(1, faults.fired());
        assertEquals(Optional.empty(), faults.armed());
        assertEquals(0, crashes.get());
    }

    @Test
    void aCrashEndsTheProcessAtItsStep() throws Exception {
        faults.arm(Role.SECONDARY, "LOAD", "CRASH");
        faults.at(CheckpointStep.REQUEST, 1);
        assertEquals(0, crashes.get());
        assertThrows(CheckpointFailure.class, () -> faults.at(CheckpointStep.LOAD, 1));
        assertEquals(1, crashes.get());
    }

    @Test
    void armingRefusesWhatCannotBeInjectedNamingWhatIsWrong() {
        assertMessage("no step 'LAOD': one of [REQUEST, PAUSE, CAPTURE, TRANSFER, RELEASE, LOAD, RESUME]",
                () -> faults.arm(Role.PRIMARY, "LAOD", "FAIL"));
        assertMessage("no action 'explode': one of [CRASH, FAIL]", () -> faults.arm(Role.PRIMARY, "LOAD", "explode"));
        assertMessage("step CAPTURE is the primary's alone; the secondary has [REQUEST, TRANSFER, LOAD, RESUME]",
                () -> faults.arm(Role.SECONDARY, "CAPTURE", "FAIL"));
        assertMessage("the secondary cannot fail RESUME: the primary has its 'loaded' already; use CRASH",
                () -> faults.arm(Role.SECONDARY, "RESUME", "FAIL"));
        assertEquals(Optional.empty(), faults.armed(), "nothing armed by a refused request");
    }

    private static void assertMessage(String expected, Runnable arm) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, arm::run).getMessage());
    }
}
