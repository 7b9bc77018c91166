package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.itests.support.HotSwapSuite;
import dev.colo.itests.support.LocalPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hot swap under load ({@link HotSwapSuite}): every bundle updated in turn on the primary while a client writes. */
class HotSwapIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);

    @Test
    void everyBundleIsUpdatedUnderLoadWithoutLosingAnAcknowledgedWriteAndIsProtectedAgain() throws Exception {
        Path distribution = Distribution.orSkip("the hot-swap test");
        Path work = Distribution.work("swap");
        LocalPair pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT);
        try {
            List<HotSwapSuite.Swap> swaps = new HotSwapSuite(pair, System.out).run(HotSwapSuite.BUNDLES);
            assertEquals(HotSwapSuite.BUNDLES, swaps.stream().map(HotSwapSuite.Swap::bundle).toList());
        } finally {
            pair.down();
        }
    }
}
