package dev.colo.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.heartbeat.PeerHealth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureDetectorTest {
    private static final long INTERVAL = 100;
    private static final long TIMEOUT = 1000;

    private final FailureDetector detector = new FailureDetector(INTERVAL, TIMEOUT);

    @Test
    void shouldSuspectAfterTwoIntervalsButNeverLaterThanHalfTheTimeout() {
        assertEquals(200, FailureDetector.suspectAfterMillis(100, 1000));
        assertEquals(150, FailureDetector.suspectAfterMillis(100, 300));
    }

    @ParameterizedTest(name = "silence {0} ms, connected {1}, refused since heard {2} -> {3}")
    @CsvSource({
            "-1, true, false, UNKNOWN",
            "-1, false, false, UNKNOWN",
            "-1, false, true, UNKNOWN",
            "0, true, false, ALIVE",
            "199, true, false, ALIVE",
            "0, false, false, SUSPECTED",
            "200, true, false, SUSPECTED",
            "999, true, false, SUSPECTED",
            "999, false, false, SUSPECTED",
            "1000, true, false, DEAD",
            "1000, false, false, DEAD",
            "50000, false, false, DEAD",
            "150, false, true, SUSPECTED",
            "199, false, true, SUSPECTED",
            "200, false, true, DEAD",
            "200, true, true, DEAD",
    })
    void shouldAssessHealthFromSilenceConnectionAndRefusals(long silence, boolean connected, boolean refused,
            PeerHealth expected) {
        assertEquals(expected, detector.assess(silence, connected, refused));
    }

    @Test
    void shouldDeclareAPeerWhoseHostRefusesDeadAfterTheSuspicionTimeNotTheTimeout() {
        detector.update(0, true, false);

        assertEquals(PeerHealth.SUSPECTED, detector.update(120, false, true).orElseThrow().current());
        assertEquals(PeerHealth.DEAD, detector.update(210, false, true).orElseThrow().current());
    }

    @Test
    void shouldStartUnknownAndReportEachTransitionOnce() {
        List<FailureDetector.Transition> transitions = new ArrayList<>();
        long[] silences = {-1, 0, 50, 250, 300, 1000, 1500, 10};
        for (long silence : silences) {
            detector.update(silence, true, false).ifPresent(transitions::add);
        }

        assertEquals(List.of(
                new FailureDetector.Transition(PeerHealth.UNKNOWN, PeerHealth.ALIVE, 0),
                new FailureDetector.Transition(PeerHealth.ALIVE, PeerHealth.SUSPECTED, 250),
                new FailureDetector.Transition(PeerHealth.SUSPECTED, PeerHealth.DEAD, 1000),
                new FailureDetector.Transition(PeerHealth.DEAD, PeerHealth.ALIVE, 10)), transitions);
        assertEquals(PeerHealth.ALIVE, detector.health());
    }

    @Test
    void shouldNotSuspectAPeerOnFirstContactWhileTheLinkComesUp() {
        assertTrue(detector.update(5, false, false).isEmpty());
        assertEquals(PeerHealth.UNKNOWN, detector.health());

        assertEquals(PeerHealth.ALIVE, detector.update(10, true, false).orElseThrow().current());
    }

    @Test
    void shouldSuspectAPeerHeardOnceThenSilent() {
        assertEquals(PeerHealth.SUSPECTED, detector.update(250, false, false).orElseThrow().current());
        assertEquals(PeerHealth.DEAD, detector.update(1000, false, false).orElseThrow().current());
    }

    @Test
    void shouldPassThroughSuspectedEvenWhenAPausedCheckFindsTheTimeoutPassed() {
        detector.update(0, true, false);

        assertEquals(PeerHealth.SUSPECTED, detector.update(1500, true, false).orElseThrow().current());
        assertEquals(PeerHealth.DEAD, detector.update(1510, true, false).orElseThrow().current());
    }

    @Test
    void shouldSuspectAtOnceWhenEveryConnectionDrops() {
        detector.update(0, true, false);

        assertTrue(detector.update(10, false, false).isPresent());
        assertEquals(PeerHealth.SUSPECTED, detector.health());
    }
}
