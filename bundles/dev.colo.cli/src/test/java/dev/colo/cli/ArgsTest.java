package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final Set<String> VALUES = Set.of("dir", "days");
    private static final Set<String> FLAGS = Set.of("json");

    @Test
    void shouldParseValuesFlagsAndInlineValues() throws Exception {
        Args args = Args.parse(List.of("--dir", "/tmp/x", "--json", "--days=30"), VALUES, FLAGS, 0);

        assertEquals("/tmp/x", args.value("dir"));
        assertTrue(args.flag("json"));
        assertEquals(30, args.intValue("days", 1, 1, 100));
        assertEquals("fallback", args.value("absent", "fallback"));
    }

    @Test
    void shouldNameTheUnknownOption() {
        UsageException e = assertThrows(UsageException.class, () -> Args.parse(List.of("--dri", "x"), VALUES, FLAGS, 0));
        assertEquals("unknown option --dri", e.getMessage());
    }

    @Test
    void shouldRejectAMissingValue() {
        assertEquals("option --dir needs a value",
                assertThrows(UsageException.class, () -> Args.parse(List.of("--dir"), VALUES, FLAGS, 0)).getMessage());
        assertEquals("option --dir needs a value",
                assertThrows(UsageException.class, () -> Args.parse(List.of("--dir", "--json"), VALUES, FLAGS, 0)).getMessage());
    }

    @Test
    void shouldRejectRepeatedOptionsFlagValuesAndStrayWords() {
        assertEquals("option --dir given twice", assertThrows(UsageException.class,
                () -> Args.parse(List.of("--dir", "a", "--dir", "b"), VALUES, FLAGS, 0)).getMessage());
        assertEquals("option --json takes no value", assertThrows(UsageException.class,
                () -> Args.parse(List.of("--json=yes"), VALUES, FLAGS, 0)).getMessage());
        assertEquals("unexpected argument 'extra'", assertThrows(UsageException.class,
                () -> Args.parse(List.of("extra"), VALUES, FLAGS, 0)).getMessage());
        assertTrue(assertThrows(UsageException.class,
                () -> Args.parse(List.of("-d", "x"), VALUES, FLAGS, 0)).getMessage().startsWith("unknown option -d"));
    }

    @Test
    void shouldCheckIntegerRange() throws Exception {
        Args args = Args.parse(List.of("--days", "0"), VALUES, FLAGS, 0);
        assertEquals("option --days must be between 1 and 100, not 0",
                assertThrows(UsageException.class, () -> args.intValue("days", 5, 1, 100)).getMessage());
        Args notANumber = Args.parse(List.of("--days", "ten"), VALUES, FLAGS, 0);
        assertEquals("option --days must be an integer, not 'ten'",
                assertThrows(UsageException.class, () -> notANumber.intValue("days", 5, 1, 100)).getMessage());
    }

    @Test
    void shouldValidateNodeIds() throws Exception {
        assertEquals(List.of("colo-a", "colo-b"), NodeNames.parseList("nodes", "colo-a, colo-b"));
        assertTrue(assertThrows(UsageException.class, () -> NodeNames.parseList("nodes", "colo-a,Colo_B"))
                .getMessage().contains("'Colo_B' is not a node id"));
        assertTrue(assertThrows(UsageException.class, () -> NodeNames.parseList("nodes", "a,a"))
                .getMessage().contains("given twice"));
    }

    @Test
    void shouldExitWithUsageOnBadCommandLines() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertEquals(Colo.EXIT_USAGE, Colo.run(List.of("frobnicate"), out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));

        err.reset();
        assertEquals(Colo.EXIT_USAGE, Colo.run(List.of("pair", "sideways"), out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown pair command 'sideways'"));

        err.reset();
        assertEquals(Colo.EXIT_USAGE, Colo.run(List.of("certs"), out, errStream));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("option --dir is required"), text);
        assertTrue(text.contains("usage: colo certs --dir DIR"), text);

        err.reset();
        assertEquals(Colo.EXIT_USAGE, Colo.run(List.of("status", "--dir"), out, errStream));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("colo status: option --dir needs a value"));
    }

    @Test
    void shouldPassOnACommandLineWithItsOwnOptions() throws Exception {
        Args args = Args.parseWithCommandLine(List.of("--dir", "/tmp/x", "--json", "colo:events", "--count", "5",
                "--dir", "y"), VALUES, FLAGS);
        assertEquals("/tmp/x", args.value("dir"));
        assertTrue(args.flag("json"));
        assertEquals(List.of("colo:events", "--count", "5", "--dir", "y"), args.positional());

        assertEquals(List.of("--odd", "x"), Args.parseWithCommandLine(List.of("--json", "--", "--odd", "x"), VALUES,
                FLAGS).positional());
        assertEquals(List.of(), Args.parseWithCommandLine(List.of("--dir", "a"), VALUES, FLAGS).positional());
        assertEquals("unknown option --count", assertThrows(UsageException.class,
                () -> Args.parseWithCommandLine(List.of("--count", "5", "colo:events"), VALUES, FLAGS)).getMessage());
    }

    @Test
    void shouldFindTwoWordCommands() throws Exception {
        assertEquals("pair up", Colo.find(List.of("pair", "up", "--dir", "x")).name());
        assertEquals("pair down", Colo.find(List.of("pair", "down")).name());
        assertFalse(Colo.usage().isBlank());
    }
}
