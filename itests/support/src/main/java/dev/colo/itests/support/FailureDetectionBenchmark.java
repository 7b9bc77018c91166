package dev.colo.itests.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Failure-detection benchmark: ROUNDS times, a fresh local pair ({@code bin/colo pair up}), {@code kill -9}
 * of one node in turn, and the time until the other reports it DEAD over JMX. Prints each round and a
 * summary as a ratio to the configured {@code heartbeat.timeout.ms}, the figure the detector is built to meet.
 *
 * <p>Run: {@code mvn -B verify -Pbench -pl itests/pair -am -DskipTests [-Dbench.rounds=N]}.
 */
public final class FailureDetectionBenchmark {
    private FailureDetectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path installation = Path.of(System.getProperty("colo.distribution.home"));
        Path work = Files.createDirectories(Path.of(System.getProperty("colo.itest.work", "target/bench")));
        int rounds = Integer.getInteger("bench.rounds", 5);
        List<FailureDetection.Detection> detections = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            LocalPair pair = LocalPair.up(installation, work.resolve("pair"));
            try {
                // alternate the victim so both directions of the link are measured
                LocalPair.Node victim = pair.nodes().get(round % 2);
                LocalPair.Node survivor = pair.nodes().get(1 - round % 2);
                FailureDetection.Detection detection =
                        FailureDetection.killAndWatch(victim, survivor, work.resolve("kill-" + round + ".log"));
                System.out.printf(Locale.ROOT, "round %d: kill -9 %s, %s: %s%n", round, victim.nodeId(),
                        survivor.nodeId(), detection);
                detections.add(detection);
            } finally {
                pair.down();
            }
        }
        System.out.println(summary(detections));
    }

    static String summary(List<FailureDetection.Detection> detections) {
        List<Long> dead = detections.stream().filter(FailureDetection.Detection::seenDead)
                .map(FailureDetection.Detection::deadMillis).sorted().toList();
        if (dead.isEmpty()) {
            return "failure detection: DEAD never reported in " + detections.size() + " rounds";
        }
        long timeout = detections.get(0).timeoutMillis();
        return String.format(Locale.ROOT,
                "failure detection over %d rounds (%d missed): kill -9 -> DEAD min %d / median %d / max %d ms; "
                        + "heartbeat.timeout.ms %d; ratio to timeout min %.2f / median %.2f / max %.2f",
                detections.size(), detections.size() - dead.size(), dead.get(0), dead.get(dead.size() / 2),
                dead.get(dead.size() - 1), timeout, (double) dead.get(0) / timeout,
                (double) dead.get(dead.size() / 2) / timeout, (double) dead.get(dead.size() - 1) / timeout);
    }
}
