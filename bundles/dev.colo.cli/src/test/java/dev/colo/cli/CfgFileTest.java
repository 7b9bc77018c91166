package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CfgFileTest {
    private static final String PAIR_CFG = """
            # COLO pair configuration
            # node.id = commented-out
            node.id = colo-a
            role=primary
            listen.port:7800
            featuresBoot = \\
                a, \\
                b
            tls.keystore.password =
            peer.port = 7800
            """;

    @Test
    void shouldReplaceValuesAndKeepCommentsAndOrder() {
        CfgFile cfg = CfgFile.parse(PAIR_CFG)
                .set("node.id", "colo-b")
                .set("role", "secondary")
                .set("listen.port", "41000")
                .set("tls.keystore.password", "s3cret");

        String text = cfg.text();
        assertTrue(text.startsWith("# COLO pair configuration\n# node.id = commented-out\nnode.id = colo-b\n"), text);
        assertTrue(text.contains("\nrole = secondary\n"), text);
        assertTrue(text.contains("\nlisten.port = 41000\n"), text);
        assertTrue(text.contains("\ntls.keystore.password = s3cret\n"), text);
        assertEquals(Optional.of("colo-b"), cfg.get("node.id"));
        assertEquals(Optional.of("7800"), cfg.get("peer.port"));
    }

    @Test
    void shouldReplaceAValueWithContinuationLinesWhole() {
        CfgFile cfg = CfgFile.parse(PAIR_CFG);
        assertEquals(Optional.of("a, b"), cfg.get("featuresBoot"));

        cfg.set("featuresBoot", "c");

        assertEquals(Optional.of("c"), cfg.get("featuresBoot"));
        assertFalse(cfg.text().contains("    a, \\"), cfg.text());
        assertEquals(Optional.of("colo-a"), cfg.get("node.id"));
        assertEquals(Optional.of(""), cfg.get("tls.keystore.password"));
    }

    @Test
    void shouldAppendMissingKeysAndEscapeThem() {
        CfgFile cfg = CfgFile.parse("# only a comment").set("sshHost", "127.0.0.1").set("_g_:admingroup", "group,admin");

        assertTrue(cfg.text().endsWith("sshHost = 127.0.0.1\n_g_\\:admingroup = group,admin\n"), cfg.text());
        assertEquals(Optional.of("group,admin"), cfg.get("_g_:admingroup"));
        assertEquals(Optional.empty(), cfg.get("absent"));
    }

    @Test
    void shouldRoundTripThroughAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dev.colo.pair.cfg");
        Files.writeString(file, PAIR_CFG);

        CfgFile.read(file).set("peer.port", "42000").write(file);

        assertEquals(PAIR_CFG.replace("peer.port = 7800", "peer.port = 42000"), Files.readString(file));
    }

    @Test
    void shouldTellUsersFromGroups(@TempDir Path etc) throws Exception {
        Files.writeString(etc.resolve(UsersFile.FILE), "#karaf = karaf,_g_:admingroup\n_g_\\:admingroup = group,admin\n");
        assertFalse(UsersFile.hasUser(etc));

        UsersFile.setAdmin(etc, "admin", "pw1");
        UsersFile.setAdmin(etc, "admin", "pw2");

        assertTrue(UsersFile.hasUser(etc));
        String text = Files.readString(etc.resolve(UsersFile.FILE));
        assertTrue(text.contains("\nadmin = pw2,_g_:admingroup\n"), text);
        assertFalse(text.contains("pw1"), text);
        assertTrue(text.startsWith("#karaf = karaf"), text);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(etc.resolve(UsersFile.FILE))));
    }
}
