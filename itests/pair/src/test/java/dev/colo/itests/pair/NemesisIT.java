package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.Nemesis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The randomized nemesis ({@link Nemesis}) over the real distribution: a seeded schedule of faults under load,
 * {@code -Dnemesis.steps=N} steps (default 12) within {@code -Dnemesis.minutes=M} (default 10); a new seed each run
 * unless {@code -Dnemesis.seed=S} replays one ({@code -Dnemesis.only=I,J} keeps only those steps). With
 * {@code -Dnemesis.shrink=true} a failing schedule is shrunk: its steps dropped one at a time, each candidate run on
 * a new pair, while it still fails; the smallest is printed as a replay command. A soak:
 * {@code -Dnemesis.steps=100000 -Dnemesis.minutes=60}. Runs only when asked ({@code -Dnemesis=true}, or a seed): it is
 * not yet part of {@code mvn verify}.
 */
class NemesisIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);

    @Test
    void aRandomScheduleOfFaultsKeepsEveryAcknowledgedWriteAndOnePrimary() throws Exception {
        assumeTrue(Boolean.getBoolean("nemesis") || System.getProperty("nemesis.seed") != null,
                "the nemesis runs when asked: -Dnemesis=true (or -Dnemesis.seed=S to replay a run)");
        Path distribution = Distribution.orSkip("the nemesis");
        long seed = Long.getLong("nemesis.seed", System.currentTimeMillis());
        List<Nemesis.Step> schedule = Nemesis.only(Nemesis.schedule(seed, Integer.getInteger("nemesis.steps", 12)),
                only(System.getProperty("nemesis.only", "")));
        Duration budget = Duration.ofMinutes(Long.getLong("nemesis.minutes", 10));
        Path work = Distribution.work("nemesis");
        try {
            Nemesis.Summary summary = run(distribution, work.resolve("pair"), seed, schedule, budget);
            assertEquals(List.of(), summary.lost(), "acknowledged writes lost: " + summary.report());
            assertTrue(summary.writesChecked() > 0, "the clients wrote: " + summary.report());
        } catch (AssertionError failed) {
            if (Boolean.getBoolean("nemesis.shrink")) {
                List<Nemesis.Step> smallest = shrink(distribution, work, seed, schedule, budget);
                throw new AssertionError(failed.getMessage() + "; smallest failing schedule: "
                        + Nemesis.replay(seed, smallest), failed);
            }
            throw failed;
        }
    }

    private static Nemesis.Summary run(Path distribution, Path dir, long seed, List<Nemesis.Step> schedule,
            Duration budget) throws Exception {
        LocalPair pair = LocalPair.up(distribution, dir, PAIR_UP_TIMEOUT);
        try {
            Nemesis.Summary summary = new Nemesis(pair, System.out, seed, schedule).run(dir.resolveSibling(
                    dir.getFileName() + "-evidence-" + seed), budget);
            if (!summary.lost().isEmpty()) {
                throw new AssertionError("acknowledged writes lost: " + summary.report());
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
