package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pair stop} on stand-ins: a shell loop as the node's process, a {@link FakeNode} as its JMX. */
class PairStopCommandTest {
    private final List<Process> processes = new ArrayList<>();

    @TempDir
    Path dir;

    /** A process that {@code pair stop} takes for the node at {@code home}: its command line names the home. */
    private long runningFrom(Path home) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", "while sleep 0.2; do :; done", home.toString()).start();
        processes.add(process);
        assertTrue(Processes.isOurs(process.pid(), home.toString()), "a node process as pair stop knows one");
        return process.pid();
    }

    @AfterEach
    void stopProcesses() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void writePair(PairFile.Node a, PairFile.Node b) throws Exception {
        PairFile.write(PairFile.in(dir), new PairFile.Pair(PairFile.State.UP, Path.of("/opt/colo"), List.of(a, b), null,
                null, null));
    }

    /** etc/dev.colo.pair.cfg of the node at {@code home}, as pair up leaves it. */
    private static void configured(Path home, String role) throws Exception {
        Files.createDirectories(NodeInstance.etc(home));
        Files.writeString(NodeInstance.etc(home).resolve(NodeInstance.PAIR_CFG), "node.id = x\nrole = " + role + "\n");
    }

    private static String configuredRole(Path home) throws Exception {
        return CfgFile.read(NodeInstance.etc(home).resolve(NodeInstance.PAIR_CFG)).get("role").orElseThrow();
    }

    private List<String> recordedRoles() throws Exception {
        return PairFile.read(PairFile.in(dir)).nodes().stream().map(n -> n.nodeId() + " " + n.role()).toList();
    }

    @Test
    void shouldSayANodeThatDoesNotRunIsStoppedAndAskNothing() throws Exception {
        Path home = dir.resolve("colo-a");
        // the pid of this JVM, whose command line does not name the node's home: a recycled pid
        long otherProcess = ProcessHandle.current().pid();
        writePair(FakeNode.node("colo-a", "primary", otherProcess, home, FakeNode.unreachable()),
                FakeNode.node("colo-b", "secondary", 0, dir.resolve("colo-b"), FakeNode.unreachable()));

        ColoTest.Result result = ColoTest.run("pair", "stop", "--node", "colo-a", "--dir", dir.toString());

        assertEquals(0, result.exit(), result.err());
        assertEquals("colo-a: not running (pid " + otherProcess + ")\n", result.out());
        assertEquals(List.of("colo-a primary", "colo-b secondary"), recordedRoles());
    }

    @Test
    void shouldRefuseANodeThePairDoesNotHave() throws Exception {
        writePair(FakeNode.node("colo-a", "primary", 0, dir.resolve("colo-a"), FakeNode.unreachable()),
                FakeNode.node("colo-b", "secondary", 0, dir.resolve("colo-b"), FakeNode.unreachable()));

        ColoTest.Result result = ColoTest.run("pair", "stop", "--node", "colo-x", "--dir", dir.toString());

        assertEquals(2, result.exit());
        assertTrue(result.err().startsWith("colo pair stop: no node colo-x in " + PairFile.in(dir) + "\n"),
                result.err());
    }

    @Test
    void shouldStopAPrimaryWhosePeerDoesNotRunWithoutASwitchover() throws Exception {
        Path home = dir.resolve("colo-a");
        long pid = runningFrom(home);
        writePair(FakeNode.node("colo-a", "primary", pid, home, FakeNode.unreachable()),
                FakeNode.node("colo-b", "secondary", 0, dir.resolve("colo-b"), FakeNode.unreachable()));

        ColoTest.Result result = ColoTest.run("pair", "stop", "--node", "colo-a", "--dir", dir.toString());

        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().startsWith("No other node runs: colo-a stops without a switchover\n"
                + "colo-a: stopped pid " + pid + " in "), result.out());
        assertFalse(Processes.isAlive(pid));
    }

    @Test
    void shouldStopASecondaryWithoutASwitchover() throws Exception {
        Path homeA = dir.resolve("colo-a");
        Path homeB = dir.resolve("colo-b");
        try (FakeNode b = new FakeNode("secondary")) {
            long pidB = runningFrom(homeB);
            writePair(FakeNode.node("colo-a", "primary", runningFrom(homeA), homeA, FakeNode.unreachable()),
                    FakeNode.node("colo-b", "secondary", pidB, homeB, b.jmx()));

            ColoTest.Result result = ColoTest.run("pair", "stop", "--node", "colo-b", "--dir", dir.toString());

            assertEquals(0, result.exit(), result.err());
            assertTrue(result.out().startsWith("colo-b is the secondary: no switchover needed\ncolo-b: stopped pid "
                    + pidB), result.out());
            assertEquals(List.of(), b.invoked);
            assertFalse(Processes.isAlive(pidB));
        }
    }

    @Test
    void shouldSwitchAPrimaryOverThenStopItAsTheSecondary() throws Exception {
        Path homeA = dir.resolve("colo-a");
        Path homeB = dir.resolve("colo-b");
        configured(homeA, "primary");
        try (FakeNode a = new FakeNode("primary"); FakeNode b = new FakeNode("secondary")) {
            a.switchover = () -> {
                a.role = "secondary";
                b.role = "primary";
                return "switched over to colo-b at epoch 7";
            };
            long pidA = runningFrom(homeA);
            long pidB = runningFrom(homeB);
            writePair(FakeNode.node("colo-a", "primary", pidA, homeA, a.jmx()),
                    FakeNode.node("colo-b", "secondary", pidB, homeB, b.jmx()));

            ColoTest.Result result = ColoTest.run("pair", "stop", "--node", "colo-a", "--dir", dir.toString());

            assertEquals(0, result.exit(), result.err());
            List<String> lines = result.out().lines().toList();
            assertEquals("colo-a is the primary: switching over to colo-b", lines.get(0));
            assertEquals("colo-a: switched over to colo-b at epoch 7", lines.get(1));
            assertTrue(lines.get(2).matches("\\[ *\\d+\\.\\d s\\] colo-b: role primary"), lines.get(2));
            assertTrue(lines.get(3).startsWith("colo-a: stopped pid " + pidA), lines.get(3));
            assertEquals(List.of("switchover"), a.invoked);
            assertFalse(Processes.isAlive(pidA));
            assertTrue(Processes.isAlive(pidB), "only the node named is stopped");
            assertEquals(List.of("colo-a secondary", "colo-b primary"), recordedRoles());
            assertEquals("secondary", configuredRole(homeA), "pair restart brings it back as the secondary");
        }
    }

    @Test
    void shouldStopNothingWhenTheSwitchoverIsRefusedUnlessForced() throws Exception {
        Path homeA = dir.resolve("colo-a");
        Path homeB = dir.resolve("colo-b");
        configured(homeA, "primary");
        try (FakeNode a = new FakeNode("primary"); FakeNode b = new FakeNode("secondary")) {
            a.switchover = () -> "refused: the pair is not protected";
            long pidA = runningFrom(homeA);
            writePair(FakeNode.node("colo-a", "primary", pidA, homeA, a.jmx()),
                    FakeNode.node("colo-b", "secondary", runningFrom(homeB), homeB, b.jmx()));

            ColoTest.Result refused = ColoTest.run("pair", "stop", "--node", "colo-a", "--dir", dir.toString());

            assertEquals(1, refused.exit());
            assertTrue(refused.out().endsWith("colo-a: refused: the pair is not protected\n"), refused.out());
            assertEquals("colo pair stop: colo-a did not switch over: refused: the pair is not protected; nothing "
                    + "stopped (--force stops colo-a anyway)\n", refused.err());
            assertTrue(Processes.isAlive(pidA));

            ColoTest.Result forced = ColoTest.run("pair", "stop", "--node", "colo-a", "--dir", dir.toString(),
                    "--force");

            assertEquals(0, forced.exit(), forced.err());
            assertTrue(forced.out().contains("colo-a did not switch over: refused: the pair is not protected; "
                    + "--force: stopping colo-a anyway\ncolo-a: stopped pid " + pidA), forced.out());
            assertFalse(Processes.isAlive(pidA));
            assertEquals(List.of("colo-a primary", "colo-b secondary"), recordedRoles(), "no switchover happened");
            assertEquals("primary", configuredRole(homeA));
        }
    }

    @Test
    void shouldStopNothingWhenTheNodeCannotBeAsked() throws Exception {
        Path homeA = dir.resolve("colo-a");
        Path homeB = dir.resolve("colo-b");
        long pidA = runningFrom(homeA);
        writePair(FakeNode.node("colo-a", "primary", pidA, homeA, FakeNode.unreachable()),
                FakeNode.node("colo-b", "secondary", runningFrom(homeB), homeB, FakeNode.unreachable()));

        ColoTest.Result result = ColoTest.run("pair", "stop", "--node", "colo-a", "--dir", dir.toString());

        assertEquals(1, result.exit());
        assertTrue(result.err().startsWith("colo pair stop: colo-a cannot be asked for a switchover: "), result.err());
        assertTrue(result.err().endsWith("; nothing stopped (--force stops colo-a anyway)\n"), result.err());
        assertTrue(Processes.isAlive(pidA));
    }
}
