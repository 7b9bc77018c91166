package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.itests.support.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bin/colo demo}, as a user runs it: it must end with every invariant held, and say what happened. */
class DemoIT {
    private static final Pattern VERDICT = Pattern.compile("acknowledged writes (\\d+), present on the new primary (\\d+), "
            + "lost (\\d+)");

    @Test
    void theDemoFailsOverUnderLoadAndLosesNoAcknowledgedWrite() throws Exception {
        Path distribution = Distribution.orSkip("the demo");
        Path work = Distribution.work("demo");
        Path dir = work.resolve("pair");
        String colo = distribution.resolve("bin/colo").toString();
        try {
            Processes.Result demo = Processes.run(List.of(colo, "demo", "--dir", dir.toString(), "--seconds", "3"), null,
                    work.resolve("demo.log"), Duration.ofSeconds(400));
            assertEquals(0, demo.exit(), demo.output());
            assertTrue(demo.output().contains("every invariant held"), demo.output());
            assertTrue(demo.output().contains("failover COMPLETED"), demo.output());
            assertTrue(demo.output().matches("(?s).*failover gap as the clients saw it [^\n]*: \\d+ ms\n.*"),
                    "the gap across the kill is measured\n" + demo.output());
            Matcher verdict = VERDICT.matcher(demo.output());
            assertTrue(verdict.find(), demo.output());
            assertTrue(Long.parseLong(verdict.group(1)) > 0, "writes were acknowledged");
            assertEquals(verdict.group(1), verdict.group(2));
            assertEquals("0", verdict.group(3));
            assertTrue(demo.output().matches("(?s).*checkpoints: \\d+ completed.*miscompare [1-9].*"),
                    "LOCALTIME makes the guests differ: checkpoints for miscompares\n" + demo.output());
        } finally {
            Processes.run(List.of(colo, "pair", "down", "--dir", dir.toString()), null, work.resolve("down.log"),
                    Duration.ofSeconds(120));
        }
    }
}
