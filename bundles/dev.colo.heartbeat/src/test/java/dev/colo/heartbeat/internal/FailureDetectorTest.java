package dev.colo.heartbeat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.heartbeat.PeerHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FailureDetectorTest {
    private static final long INTERVAL = 100;
    private static final long TIMEOUT = 1000;
    private static final long MS = 1_000_000;
    /** {@link System#nanoTime()} when the detector started: any value, negative ones included. */
    private static final long STARTED = -5_000 * MS;
    /** A check long after the start-up grace. */
    private static final long LATER = STARTED + 100 * TIMEOUT * MS;

    private final FailureDetector detector = new FailureDetector(INTERVAL, TIMEOUT, STARTED);

    /** Assesses a check long after start, the peer last heard {@code silence} ms before it (so since start). */
    private PeerHealth assess(long silence, boolean connected, boolean refused) {
        return detector.assess(LATER, heardBefore(LATER, silence), silence, connected, refused);
    }

    /** Updates at a check long after start, the peer last heard {@code silence} ms before it (so since start). */
    private Optional<FailureDetector.Transition> update(long silence, boolean connected, boolean refused) {
        return detector.update(LATER, heardBefore(LATER, silence), silence, connected, refused);
    }

    private static long heardBefore(long nowNanos, long silenceMillis) {
        return silenceMillis < 0 ? Long.MIN_VALUE : nowNanos - silenceMillis * MS;
    }

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
        assertEquals(expected, assess(silence, connected, refused));
    }

    @Test
    void shouldDeclareAPeerWhoseHostRefusesDeadAfterTheSuspicionTimeNotTheTimeout() {
        update(0, true, false);

        assertEquals(PeerHealth.SUSPECTED, update(120, false, true).orElseThrow().current());
        assertEquals(PeerHealth.DEAD, update(210, false, true).orElseThrow().current());
    }

    @Test
    void shouldStartUnknownAndReportEachTransitionOnce() {
        List<FailureDetector.Transition> transitions = new ArrayList<>();
        long[] silences = {-1, 0, 50, 250, 300, 1000, 1500, 10};
        for (long silence : silences) {
            update(silence, true, false).ifPresent(transitions::add);
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
        assertTrue(update(5, false, false).isEmpty());
        assertEquals(PeerHealth.UNKNOWN, detector.health());

        assertEquals(PeerHealth.ALIVE, update(10, true, false).orElseThrow().current());
    }

    @Test
    void shouldSuspectAPeerHeardOnceThenSilent() {
        assertEquals(PeerHealth.SUSPECTED, update(250, false, false).orElseThrow().current());
        assertEquals(PeerHealth.DEAD, update(1000, false, false).orElseThrow().current());
    }

    @Test
    void shouldPassThroughSuspectedEvenWhenAPausedCheckFindsTheTimeoutPassed() {
        update(0, true, false);

        assertEquals(PeerHealth.SUSPECTED, update(1500, true, false).orElseThrow().current());
        assertEquals(PeerHealth.DEAD, update(1510, true, false).orElseThrow().current());
    }

    @Test
    void shouldSuspectAtOnceWhenEveryConnectionDrops() {
        update(0, true, false);

        assertTrue(update(10, false, false).isPresent());
        assertEquals(PeerHealth.SUSPECTED, detector.health());
    }

    @ParameterizedTest(name = "refused since heard {0}")
    @ValueSource(booleans = {false, true})
    void shouldGiveAPeerLastHeardBeforeARestartOneFullTimeoutBeforeDeclaringItDead(boolean refused) {
        long heardBeforeRestart = STARTED - 60_000 * MS; // this node's components restarted a minute later

        assertEquals(PeerHealth.SUSPECTED, detector.update(STARTED + 10 * MS, heardBeforeRestart, 60_010, false,
                refused).orElseThrow().current());
        assertTrue(detector.update(STARTED + (TIMEOUT - 1) * MS, heardBeforeRestart, 60_999, false, refused).isEmpty(),
                "still in the start-up grace");
        assertEquals(PeerHealth.SUSPECTED, detector.health());
        assertEquals(PeerHealth.DEAD, detector.update(STARTED + TIMEOUT * MS, heardBeforeRestart, 61_000, false,
                refused).orElseThrow().current());
    }

    @Test
    void shouldNotDeclareAPeerDeadDuringTheStartUpGraceEvenIfItsHostRefusesAfterItWasHeard() {
        long heard = STARTED + 10 * MS;
        detector.update(STARTED + 20 * MS, heard, 10, true, false);
        assertEquals(PeerHealth.SUSPECTED, detector.update(STARTED + 400 * MS, heard, 390, false, true)
                .orElseThrow().current());

        assertTrue(detector.update(STARTED + 500 * MS, heard, 490, false, true).isEmpty(), "still in the grace");
        assertTrue(detector.update(STARTED + (TIMEOUT - 1) * MS, heard, TIMEOUT - 11, false, true).isEmpty());
        assertEquals(PeerHealth.SUSPECTED, detector.health());
        assertEquals(PeerHealth.DEAD, detector.update(STARTED + TIMEOUT * MS, heard, TIMEOUT - 10, false, true)
                .orElseThrow().current(), "the grace is over and the refusal counts: not a full timeout of silence");
    }

    @Test
    void shouldNotTakeARefusalAsProofOfDeathForAPeerNotHeardSinceStart() {
        long heardBeforeRestart = STARTED - 1_000 * MS;
        long now = STARTED + 5 * TIMEOUT * MS;
        // a stall of this node ended 300 ms ago, so the silence counts from there, not from before the restart

        assertEquals(PeerHealth.SUSPECTED, detector.update(now, heardBeforeRestart, 300, false, true)
                .orElseThrow().current());
        assertTrue(detector.update(now + 699 * MS, heardBeforeRestart, 999, false, true).isEmpty());
        assertEquals(PeerHealth.DEAD, detector.update(now + 700 * MS, heardBeforeRestart, TIMEOUT, false, true)
                .orElseThrow().current(), "only the full timeout counts");
    }

    @Test
    void shouldStillDeclareAPeerHeardSinceStartDeadAtTheSuspicionTimeWhenItsHostRefuses() {
        long heard = STARTED + TIMEOUT * MS; // heard since start, as the grace ends
        detector.update(heard, heard, 0, true, false);
        assertEquals(PeerHealth.SUSPECTED, detector.update(heard + 120 * MS, heard, 120, false, true)
                .orElseThrow().current());

        FailureDetector.Transition dead = detector.update(heard + 200 * MS, heard, 200, false, true).orElseThrow();
        assertEquals(new FailureDetector.Transition(PeerHealth.SUSPECTED, PeerHealth.DEAD, 200), dead);
    }
}
