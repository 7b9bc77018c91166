package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationCommandTest {
    @Test
    void shouldWriteTheAnswerAsJsonWithTheArgumentUnderItsOptionsName() throws Exception {
        String resolved = OperationCommand.resolve().report("colo-a", "resolveSplitBrain", new String[] {"colo-a"},
                "kept colo-a", true);
        assertEquals(List.of("node", "operation", "keep", "answer"), List.copyOf(JSON.std.mapFrom(resolved).keySet()));
        assertEquals(Map.of("node", "colo-a", "operation", "resolveSplitBrain", "keep", "colo-a", "answer",
                "kept colo-a"), JSON.std.mapFrom(resolved));

        String switched = OperationCommand.switchover().report("colo-a", "switchover", new String[0],
                "switched over to colo-b at epoch 7", true);
        assertEquals(List.of("node", "operation", "answer"), List.copyOf(JSON.std.mapFrom(switched).keySet()));
        assertEquals("colo-a: refused: not protected", OperationCommand.switchover().report("colo-a", "switchover",
                new String[0], "refused: not protected", false));
    }

    @Test
    void shouldAskTheKeptNodeByDefaultAndPassItTheNode(@TempDir Path dir) throws Exception {
        try (FakeNode b = new FakeNode("primary")) {
            writePair(dir, FakeNode.unreachable(), b.jmx());

            ColoTest.Result result = ColoTest.run("resolve", "--keep", "colo-b", "--dir", dir.toString(), "--json");

            assertEquals(0, result.exit(), result.err());
            assertEquals(List.of("resolveSplitBrain colo-b"), b.invoked);
            assertEquals(Map.of("node", "colo-b", "operation", "resolveSplitBrain", "keep", "colo-b", "answer",
                    "kept colo-b"), JSON.std.mapFrom(result.out()));
        }
    }

    @Test
    void shouldAskNodeWhenGivenAndSayWhenItDoesNotAnswer(@TempDir Path dir) throws Exception {
        try (FakeNode b = new FakeNode("primary")) {
            writePair(dir, FakeNode.unreachable(), b.jmx());

            ColoTest.Result result = ColoTest.run("resolve", "--keep", "colo-b", "--node", "colo-a", "--dir",
                    dir.toString());

            assertEquals(1, result.exit());
            assertTrue(result.err().startsWith("colo resolve: resolve on colo-a: "), result.err());
            assertEquals(List.of(), b.invoked);
        }
    }

    @Test
    void shouldRefuseToKeepANodeThePairDoesNotHave(@TempDir Path dir) throws Exception {
        writePair(dir, FakeNode.unreachable(), FakeNode.unreachable());

        ColoTest.Result result = ColoTest.run("resolve", "--keep", "colo-x", "--dir", dir.toString());

        assertEquals(1, result.exit());
        assertEquals("colo resolve: the pair has no node colo-x\n", result.err());
    }

    @Test
    void shouldAskThePrimaryForASwitchoverByDefault(@TempDir Path dir) throws Exception {
        try (FakeNode a = new FakeNode("primary"); FakeNode b = new FakeNode("secondary")) {
            a.switchover = () -> "switched over to colo-b at epoch 7";
            writePair(dir, a.jmx(), b.jmx());

            ColoTest.Result result = ColoTest.run("switchover", "--dir", dir.toString());

            assertEquals(0, result.exit(), result.err());
            assertEquals("colo-a: switched over to colo-b at epoch 7\n", result.out());
            assertEquals(List.of("switchover"), a.invoked);
            assertEquals(List.of(), b.invoked);
        }
    }

    /** pair.json with colo-a the primary and colo-b the secondary (neither process running). */
    private static void writePair(Path dir, PairFile.Jmx a, PairFile.Jmx b) throws Exception {
        PairFile.write(PairFile.in(dir), new PairFile.Pair(PairFile.State.UP, Path.of("/opt/colo"), List.of(
                FakeNode.node("colo-a", "primary", 0, dir.resolve("colo-a"), a),
                FakeNode.node("colo-b", "secondary", 0, dir.resolve("colo-b"), b)), null, null, null));
    }
}
