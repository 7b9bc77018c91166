package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColoTest {
    /** What {@link Colo#run} printed and returned. */
    record Result(int exit, String out, String err) {
    }

    static Result run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Colo.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldFindTheNewCommandsByTheirWords() throws Exception {
        assertEquals("pair stop", Colo.find(List.of("pair", "stop", "--node", "colo-a")).name());
        assertEquals("switchover", Colo.find(List.of("switchover")).name());
        assertEquals("resolve", Colo.find(List.of("resolve", "--keep", "colo-a")).name());
        assertEquals("pair needs up, down, restart or stop",
                assertThrows(UsageException.class, () -> Colo.find(List.of("pair"))).getMessage());
        assertEquals("unknown pair command 'halt'",
                assertThrows(UsageException.class, () -> Colo.find(List.of("pair", "halt"))).getMessage());
    }

    @Test
    void shouldListTheNewCommandsInTheUsage() {
        String usage = run("help").out();
        for (String line : List.of("colo switchover [--dir DIR] [--node NODE] [--json]\n",
                "colo resolve --keep NODE [--dir DIR] [--node NODE] [--json]\n",
                "colo pair stop --node NODE [--dir DIR] [--timeout SECONDS] [--force]\n")) {
            assertTrue(usage.contains(line), usage);
        }
    }

    @Test
    void shouldRefuseBadArgumentsWithExitCode2AndTheUsage(@TempDir Path dir) {
        Result noNode = run("pair", "stop", "--dir", dir.toString());
        assertEquals(2, noNode.exit());
        assertTrue(noNode.err().startsWith("colo pair stop: --node is required (colo-a or colo-b)\n"
                + "usage: colo pair stop --node NODE"), noNode.err());

        Result noKeep = run("resolve", "--dir", dir.toString());
        assertEquals(2, noKeep.exit());
        assertTrue(noKeep.err().startsWith("colo resolve: --keep NODE is required\nusage: colo resolve --keep NODE"),
                noKeep.err());

        Result force = run("switchover", "--force");
        assertEquals(2, force.exit(), "a switchover loses nothing: there is nothing to force");
        assertTrue(force.err().startsWith("colo switchover: unknown option --force\n"), force.err());

        Result timeout = run("pair", "stop", "--node", "colo-a", "--timeout", "5");
        assertEquals(2, timeout.exit());
        assertTrue(timeout.err().startsWith("colo pair stop: option --timeout must be between 10 and 3600, not 5\n"),
                timeout.err());
    }
}
