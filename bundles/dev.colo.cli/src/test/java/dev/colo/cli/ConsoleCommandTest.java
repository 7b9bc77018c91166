package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code colo console} runs the installation's {@code bin/client} in batch mode with the command line on its standard
 * input (given as an argument, Karaf's client closes the channel when its own input ends, before the output arrives).
 * A stand-in bin/client records how it was run.
 */
class ConsoleCommandTest {
    private static final String PASSWORD = "s3cret-Password";

    /** An installation whose bin/client prints its arguments and input (batch mode only) and exits with 7. */
    private static Path installation(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("installation/bin"));
        Path client = bin.resolve("client");
        Files.writeString(client, """
                #!/bin/sh
                echo "args: $*"
                echo "JAVA_HOME set: ${JAVA_HOME:+yes}"
                for word in "$@"; do
                    if [ "$word" = "-b" ]; then
                        echo "input: $(cat)"
                    fi
                done
                exit 7
                """);
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir.resolve("installation");
    }

    private static void writePair(Path dir, Path installation) throws IOException {
        PairFile.Host secondaryHost = new PairFile.Host("10.202.2.2", "colo-1-b", "10.201.0.2", "cl1b");
        PairFile.write(PairFile.in(dir), new PairFile.Pair(PairFile.State.UP, installation, List.of(
                node("colo-a", "primary", 40002, PairFile.Host.LOOPBACK, dir),
                node("colo-b", "secondary", 40012, secondaryHost, dir)), null, null, null));
    }

    private static PairFile.Node node(String id, String role, int sshPort, PairFile.Host host, Path dir) {
        return new PairFile.Node(id, role, 1, dir.resolve(id), new PairFile.Jmx("service:jmx:rmi://x", "admin",
                PASSWORD, null, null), sshPort - 1, sshPort, "nbd://127.0.0.1:1/scratch", List.of(), 0, host);
    }

    @Test
    void shouldRunACommandInBatchModeWithItsLineOnStandardInput(@TempDir Path dir) throws IOException {
        writePair(dir, installation(dir));

        ColoTest.Result result = ColoTest.run("console", "--dir", dir.toString(), "colo:events", "--count", "5");

        assertEquals(7, result.exit(), "the client's exit code: " + result);
        assertEquals("""
                args: -h 127.0.0.1 -a 40002 -u admin -p %s -b
                JAVA_HOME set: yes
                input: colo:events --count 5
                """.formatted(PASSWORD), result.out());
    }

    @Test
    void shouldReachTheNodeNamedAtItsAddressAndTakeWordsAfterTheSeparator(@TempDir Path dir) throws IOException {
        writePair(dir, installation(dir));

        ColoTest.Result result = ColoTest.run("console", "--node", "colo-b", "--dir", dir.toString(), "--",
                "colo:resolve", "--keep", "colo-a");

        assertTrue(result.out().startsWith("args: -h 10.202.2.2 -a 40012 -u admin -p " + PASSWORD + " -b\n"),
                result.out());
        assertTrue(result.out().endsWith("input: colo:resolve --keep colo-a\n"), result.out());
    }

    @Test
    void shouldOpenTheInteractiveConsoleWithoutACommand(@TempDir Path dir) throws Exception {
        Path installation = installation(dir);
        writePair(dir, installation);

        assertEquals(List.of(installation.resolve("bin/client").toString(), "-h", "127.0.0.1", "-a", "40002", "-u",
                "admin", "-p", PASSWORD), ConsoleCommand.clientCommand(installation.resolve("bin/client"),
                        PairFile.read(PairFile.in(dir)).node("", "primary"), false));
    }

    @Test
    void shouldSayWhatIsWrongBeforeRunningAnything(@TempDir Path dir) throws IOException {
        ColoTest.Result noPair = ColoTest.run("console", "--dir", dir.toString(), "colo:status");
        assertEquals(1, noPair.exit());
        assertTrue(noPair.err().startsWith("colo console: no pair in " + dir), noPair.err());

        writePair(dir, dir.resolve("elsewhere"));
        ColoTest.Result noClient = ColoTest.run("console", "--dir", dir.toString(), "colo:status");
        assertEquals(1, noClient.exit());
        assertTrue(noClient.err().contains("no Karaf client at " + dir.resolve("elsewhere/bin/client")), noClient.err());

        writePair(dir, installation(dir));
        ColoTest.Result noNode = ColoTest.run("console", "--dir", dir.toString(), "--node", "colo-c", "colo:status");
        assertEquals(1, noNode.exit());
        assertTrue(noNode.err().contains("the pair has no node colo-c"), noNode.err());

        ColoTest.Result badOption = ColoTest.run("console", "--json", "colo:status");
        assertEquals(2, badOption.exit());
        assertTrue(badOption.err().startsWith("colo console: unknown option --json\n"), badOption.err());
    }

    @Test
    void shouldGiveTheClientAJavaHomeOnlyWhenNoneIsSet() {
        assertEquals(Map.of("JAVA_HOME", "/jdk", "COLO_SETENV_DONE", ""),
                ConsoleCommand.environment(Map.of("PATH", "/usr/bin"), "/jdk"));
        assertEquals(Map.of("COLO_SETENV_DONE", ""),
                ConsoleCommand.environment(Map.of("JAVA_HOME", "/opt/jdk-17"), "/jdk"));
        assertEquals("colo:status", ConsoleCommand.commandLine(List.of("colo:status")));
        assertEquals("colo:failover --force", ConsoleCommand.commandLine(List.of("colo:failover", "--force")));
    }
}
