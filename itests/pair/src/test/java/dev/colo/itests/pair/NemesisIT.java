package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.Nemesis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The randomized nemesis ({@link Nemesis}) over the real distribution: a seeded schedule of faults under load,
 * {@code -Dnemesis.steps=N} steps (default 40) of which those that start within {@code -Dnemesis.minutes=M} (default
 * 8) run. The seed is the day's (its UTC date, {@code 20261207}): a failure in CI replays the same day, and the
 * schedule changes every day; {@code -Dnemesis.seed=S} replays a run, {@code -Dnemesis.seed=random} takes a new one
 * ({@code -Dnemesis.only=I,J} keeps only those steps). With {@code -Dnemesis.shrink=true} a failing schedule is
 * shrunk: its steps dropped one at a time, each candidate run on a new pair, while it still fails; the smallest is
 * printed as a replay command. A soak: {@code -Dnemesis.seed=random -Dnemesis.steps=100000 -Dnemesis.minutes=60}.
 * Part of {@code mvn verify}; {@code -Dnemesis=false} leaves it out.
 */
class NemesisIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);

    @Test
    void aRandomScheduleOfFaultsKeepsEveryAcknowledgedWriteAndOnePrimary() throws Exception {
        assumeTrue(!"false".equals(System.getProperty("nemesis")), "the nemesis is left out (-Dnemesis=false)");
        Path distribution = Distribution.orSkip("the nemesis");
        long seed = seed(System.getProperty("nemesis.seed", ""));
        List<Nemesis.Step> schedule = Nemesis.only(Nemesis.schedule(seed, Integer.getInteger("nemesis.steps", 40)),
                only(System.getProperty("nemesis.only", "")));
        Duration budget = Duration.ofMinutes(Long.getLong("nemesis.minutes", 8));
        Path work = Distribution.work("nemesis");
        try {
            Nemesis.Summary summary = run(distribution, work.resolve("pair"), seed, schedule, budget);
            assertEquals(List.of(), summary.lost(), "acknowledged writes lost: " + summary.report());
            assertTrue(summary.writesChecked() > 0, "the clients wrote: " + summary.report());
            assertEquals(0, summary.twoPrimaries(), "moments with two primaries: " + summary.report());
            assertEquals(0, summary.unanswered(), "writes neither answered nor refused (a silent hang): "
                    + summary.report());
        } catch (AssertionError failed) {
            if (Boolean.getBoolean("nemesis.shrink")) {
                List<Nemesis.Step> smallest = shrink(distribution, work, seed, schedule, budget);
                throw new AssertionError(failed.getMessage() + "; smallest failing schedule: "
                        + Nemesis.replay(seed, smallest), failed);
            }
            throw failed;
        }
    }

    /** The seed asked for; by default the day's, so that a run is replayed the same day without asking. */
    private static long seed(String asked) {
        if (asked.isBlank()) {
            return Long.parseLong(LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE));
        }
        return asked.equals("random") ? new java.security.SecureRandom().nextLong() & Long.MAX_VALUE
                : Long.parseLong(asked.trim());
    }

    private static Nemesis.Summary run(Path distribution, Path dir, long seed, List<Nemesis.Step> schedule,
            Duration budget) throws Exception {
        LocalPair pair = LocalPair.up(distribution, dir, PAIR_UP_TIMEOUT);
        try {
            Nemesis.Summary summary = new Nemesis(pair, System.out, seed, schedule).run(dir.resolveSibling(
                    dir.getFileName() + "-evidence-" + seed), budget);
            if (!summary.lost().isEmpty() || summary.twoPrimaries() > 0) {
                throw new AssertionError("acknowledged writes lost or two primaries: " + summary.report());
            }
            return summary;
        } finally {
            pair.down();
        }
    }

    /** Drops steps one at a time, keeping each drop after which the schedule still fails. */
    private static List<Nemesis.Step> shrink(Path distribution, Path work, long seed, List<Nemesis.Step> failing,
            Duration budget) throws Exception {
        List<Nemesis.Step> smallest = new ArrayList<>(failing);
        int attempt = 0;
        for (int i = smallest.size() - 1; i >= 0; i--) {
            List<Nemesis.Step> candidate = new ArrayList<>(smallest);
            Nemesis.Step dropped = candidate.remove(i);
            System.out.printf("[nemesis] shrinking: without step %d (%s)%n", dropped.index(), Nemesis.replay(seed,
                    candidate));
            try {
                run(distribution, work.resolve("shrink-" + ++attempt), seed, candidate, budget);
            } catch (AssertionError stillFails) {
                smallest = candidate;
            }
        }
        System.out.println("[nemesis] smallest failing schedule: " + Nemesis.replay(seed, smallest));
        return smallest;
    }

    private static Set<Integer> only(String indices) {
        return indices.isBlank() ? Set.of() : Arrays.stream(indices.split(",")).map(String::trim)
                .map(Integer::valueOf).collect(Collectors.toSet());
    }
}
