package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The front door must not drift from the command line: every {@code bin/colo} line in a shell block of
 * README.md or of the manual names a subcommand and options that exist.
 */
class DocumentedCommandsTest {
    private static final Path TOP = Path.of("../..");
    private static final Pattern FENCE = Pattern.compile("^\\s*```(\\w*)\\s*$");
    private static final Pattern INVOCATION = Pattern.compile("(?:\\S*bin/colo|\\$C)\\s+(.*)");
    /** Where the words of one command end: a comment, a pipe, a list or a redirection. */
    private static final Pattern END = Pattern.compile("\\s#|&&|\\|\\||[|;<>]");

    @Test
    void shouldDocumentOnlyCommandsAndOptionsThatExist() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(TOP.resolve("README.md")));
        try (Stream<Path> docs = Files.list(TOP.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (Path document : documents) {
            for (String line : commandLines(Files.readString(document, StandardCharsets.UTF_8))) {
                checked++;
                String problem = problemOf(line);
                if (problem != null) {
                    wrong.add(document.getFileName() + ": colo " + line + ": " + problem);
                }
            }
        }
        assertFalse(checked < 5, "only " + checked + " bin/colo lines found in " + documents);
        if (!wrong.isEmpty()) {
            fail(String.join("\n", wrong));
        }
    }

    @Test
    void shouldNameWhatIsWrongInADocumentedLine() {
        String readme = """
                ```sh
                $C status --dir target/pair     # fine
                target/x/bin/colo pair upp --dir target/pair
                $C switchover --dir target/pair --now | cat
                ```
                bin/colo nonsense outside a shell block is prose
                """;
        List<String> lines = commandLines(readme);
        assertEquals(List.of("status --dir target/pair", "pair upp --dir target/pair",
                "switchover --dir target/pair --now"), lines);
        assertEquals(null, problemOf(lines.get(0)));
        assertEquals("unknown pair command 'upp'", problemOf(lines.get(1)));
        assertEquals("unknown option --now", problemOf(lines.get(2)));
    }

    @Test
    void shouldTakeAConsoleCommandWithItsOwnOptions() {
        assertEquals(null, problemOf("console --dir target/pair --node colo-b colo:events --count 5"));
        assertEquals("unknown option --nod", problemOf("console --nod colo-b colo:status"));
    }

    @Test
    void shouldReadTheCommentedAlternativeOfTheQuickStart() {
        assertEquals(List.of("demo --dir target/demo"),
                commandLines("```sh\n#    target/dev.colo.distribution/bin/colo demo --dir target/demo\n```\n"));
        assertEquals("option --seconds needs a value", problemOf("demo --seconds"));
    }

    /** The words after {@code bin/colo} (or {@code $C}) on each line of a shell block. */
    static List<String> commandLines(String markdown) {
        List<String> found = new ArrayList<>();
        boolean shell = false;
        boolean inBlock = false;
        for (String line : markdown.split("\n")) {
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                shell = !inBlock && List.of("sh", "bash", "shell", "console").contains(fence.group(1));
                inBlock = !inBlock;
                continue;
            }
            Matcher invocation = INVOCATION.matcher(line);
            if (shell && invocation.find()) {
                String words = invocation.group(1);
                Matcher end = END.matcher(words);
                found.add((end.find() ? words.substring(0, end.start()) : words).trim());
            }
        }
        return found;
    }

    /** Why {@code bin/colo} would refuse these words as a usage error, or null. */
    static String problemOf(String words) {
        List<String> argv = Arrays.asList(words.split("\\s+"));
        try {
            Command command = Colo.find(argv);
            int consumed = command.name().split(" ").length;
            Colo.parse(command, argv.subList(consumed, argv.size()));
            return null;
        } catch (UsageException e) {
            return e.getMessage();
        }
    }
}
