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

    @ParameterizedTest(name = "silence {0} ms, connected {1} -> {2}")
    @CsvSource({
            "-1, true, UNKNOWN",
            "-1, false, UNKNOWN",
            "0, true, ALIVE",
            "199, true, ALIVE",
            "0, false, SUSPECTED",
            "200, true, SUSPECTED",
            "999, true, SUSPECTED",
            "999, false, SUSPECTED",
            "1000, true, DEAD",
            "1000, false, DEAD",
            "50000, false, DEAD",
    })
    void shouldAssessHealthFromSilenceAndConnection(long silence, boolean connected, PeerHealth expected) {
        assertEquals(expected, detector.assess(silence, connected));
    }

    @Test
    void shouldStartUnknownAndReportEachTransitionOnce() {
        List<FailureDetector.Transition> transitions = new ArrayList<>();
        long[] silences = {-1, 0, 50, 250, 300, 1000, 1500, 10};
        for (long silence : silences) {
            detector.update(silence, true).ifPresent(transitions::add);
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
        assertTrue(detector.update(5, false).isEmpty());
        assertEquals(PeerHealth.UNKNOWN, detector.health());

        assertEquals(PeerHealth.ALIVE, detector.update(10, true).orElseThrow().current());
    }

    @Test
    void shouldSuspectAPeerHeardOnceThenSilent() {
        assertEquals(PeerHealth.SUSPECTED, detector.update(250, false).orElseThrow().current());
        assertEquals(PeerHealth.DEAD, detector.update(1000, false).orElseThrow().current());
    }

    @Test
    void shouldPassThroughSuspectedEvenWhenAPausedCheckFindsTheTimeoutPassed() {
        detector.update(0, true);

        assertEquals(PeerHealth.SUSPECTED, detector.update(1500, true).orElseThrow().current());
        assertEquals(PeerHealth.DEAD, detector.update(1510, true).orElseThrow().current());
    }

    @Test
    void shouldSuspectAtOnceWhenEveryConnectionDrops() {
        detector.update(0, true);

        assertTrue(detector.update(10, false).isPresent());
        assertEquals(PeerHealth.SUSPECTED, detector.health());
    }
}
