package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.itests.support.FaultSuite;
import dev.colo.itests.support.LocalPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection suite ({@link FaultSuite}) over the real distribution: one round of every fault in CI;
 * a soak with {@code -Dfaults.rounds=N}, e.g.
 * {@code mvn -B verify -pl itests/pair -am -Dit.test=FaultIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfaults.rounds=20}.
 */
class FaultIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);

    @Test
    void everyFaultOfEveryRoundKeepsEveryAcknowledgedWriteAndOnePrimary() throws Exception {
        Path distribution = Distribution.orSkip("the fault-injection suite");
        int rounds = Integer.getInteger("faults.rounds", 1);
        Path work = Distribution.work("faults");
        LocalPair pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT);
        try {
            FaultSuite.Summary summary = new FaultSuite(pair, System.out).run(rounds);
            assertEquals(List.of(), summary.lost(), "acknowledged writes lost: " + summary.report());
            assertTrue(summary.writesChecked() > 0, "the clients wrote: " + summary.report());
            assertTrue(summary.faultCount() >= 2 * rounds, summary.report());
        } finally {
            pair.down();
        }
    }
}
