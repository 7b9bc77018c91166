package dev.colo.failover.internal.role;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileRoleTest {
    @TempDir
    Path etc;

    @Test
    void shouldReplaceOnlyTheRoleLineAndKeepEverythingElse() throws Exception {
        Path file = etc.resolve("dev.colo.pair.cfg");
        Files.write(file, List.of("# comment about role = primary", "node.id = colo-b", "role = secondary",
                "tls.keystore.path = ${karaf.etc}/tls/node.p12"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        ConfigFileRole.write(file, "primary");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                "it holds passwords: as private as before");
        assertEquals(List.of("# comment about role = primary", "node.id = colo-b", "role = primary",
                "tls.keystore.path = ${karaf.etc}/tls/node.p12"), Files.readAllLines(file));
        try (var leftovers = Files.list(etc)) {
            assertEquals(List.of(file), leftovers.toList(), "no temporary file left behind");
        }
    }

    @Test
    void shouldAppendARoleToAFileWithoutOne() throws Exception {
        Path file = etc.resolve("dev.colo.pair.cfg");
        Files.write(file, List.of("node.id = colo-b"));
        ConfigFileRole.write(file, "secondary");
        assertEquals(List.of("node.id = colo-b", "role = secondary"), Files.readAllLines(file));
    }

    @Test
    void shouldFindTheFileFromFileInstallsUrl() {
        Path file = etc.resolve("dev.colo.pair.cfg");
        assertEquals(Optional.of(file), ConfigFileRole.fileOf(file.toUri().toString()));
        assertEquals(Optional.of(file), ConfigFileRole.fileOf(file.toString()));
        assertEquals(Optional.empty(), ConfigFileRole.fileOf(null));
    }

    @Test
    void aFileThatLostItsNodeIdIsPutBackWholeAndOnlyThen() throws Exception {
        Path file = etc.resolve("dev.colo.pair.cfg");
        Files.write(file, List.of("# the pair", "node.id = colo-b", "role = secondary"));
        List<String> whole = ConfigFileRole.write(file, "primary");

        assertEquals(false, ConfigFileRole.restoreIfTruncated(file, whole), "intact: left alone");
        Files.write(file, List.of("# the pair", "node.id = colo-b", "role = primary", "heartbeat.timeout.ms = 900"));
        assertEquals(false, ConfigFileRole.restoreIfTruncated(file, whole), "an operator's later edit is kept");

        Files.write(file, List.of("# the pair")); // a write-back read half written
        assertEquals(true, ConfigFileRole.restoreIfTruncated(file, whole));
        assertEquals(List.of("# the pair", "node.id = colo-b", "role = primary"), Files.readAllLines(file));
    }
}
