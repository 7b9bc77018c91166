package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.itests.support.FuzzSuite;
import dev.colo.itests.support.LocalPair;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hostile input at every network door ({@link FuzzSuite}) for a bounded time: 5 s per door in CI;
 * {@code -Dfuzz.seconds=N} for longer, {@code -Dfuzz.seed=S} to replay a run.
 */
class FuzzIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);

    @Test
    void noDoorCrashesOrChangesTheNodeAndItsDisk() throws Exception {
        Path distribution = Distribution.orSkip("the fuzzing");
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Duration perDoor = Duration.ofSeconds(Long.getLong("fuzz.seconds", 5));
        Path work = Distribution.work("fuzz");
        LocalPair pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT);
        try {
            FuzzSuite.Summary summary = new FuzzSuite(pair, seed, System.out).run(perDoor);
            assertEquals(4, summary.doors().size(), summary.report());
            assertTrue(summary.doors().stream().allMatch(door -> door.connections() > 10), summary.report());
        } finally {
            pair.down();
        }
    }
}
