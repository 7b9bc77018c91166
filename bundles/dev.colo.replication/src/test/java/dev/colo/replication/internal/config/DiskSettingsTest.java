package dev.colo.replication.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.replication.ReplicationMode;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSettingsTest {
    private static final long SIZE = 1 << 20;

    @TempDir
    Path dir;

    private Map<String, Object> valid() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(DiskSettings.NAME, "disk0");
        properties.put(DiskSettings.LOCAL_PATH, dir.resolve("disk0.img").toString());
        properties.put(DiskSettings.ACTIVE_PATH, dir.resolve("active.img").toString());
        properties.put(DiskSettings.HIDDEN_PATH, dir.resolve("hidden.img").toString());
        properties.put(DiskSettings.SIZE_BYTES, Long.toString(SIZE));
        return properties;
    }

    private static InvalidConfigurationException refused(Map<String, Object> properties) {
        return assertThrows(InvalidConfigurationException.class, () -> DiskSettings.parse(properties));
    }

    @Test
    void shouldReadDefaultsAndDerivedPaths() {
        DiskSettings settings = DiskSettings.parse(valid());
        assertEquals(ReplicationMode.SYNC, settings.mode());
        assertEquals(4096, settings.blockBytes());
        assertEquals(dir.resolve("disk0.img.colo-dirty"), settings.bitmapPath());
        assertEquals(dir.resolve("disk0.img.colo-commit"), settings.journalPath());
        assertEquals(settings.replicationPort(), settings.peerReplicationPort());
        assertEquals(0, settings.exportPort());
        assertEquals(List.of(), DiskSettings.unknownKeys(valid()));
    }

    @Test
    void shouldNameTheKeyOfEveryInvalidValue() {
        for (String[] bad : new String[][] {
                {DiskSettings.NAME, "disk 0"}, {DiskSettings.MODE, "protocol-c"},
                {DiskSettings.BLOCK_BYTES, "3000"}, {DiskSettings.LOCAL_PATH, "relative.img"},
                {DiskSettings.EXPORT_PORT, "70000"}, {DiskSettings.FORWARD_TIMEOUT_MS, "5"}}) {
            Map<String, Object> properties = valid();
            properties.put(bad[0], bad[1]);
            InvalidConfigurationException e = refused(properties);
            assertTrue(e.getMessage().contains("'" + bad[0] + "'") && e.getMessage().contains(bad[1]), e.getMessage());
        }
        Map<String, Object> missing = valid();
        missing.remove(DiskSettings.HIDDEN_PATH);
        assertTrue(refused(missing).getMessage().contains(DiskSettings.HIDDEN_PATH));
    }

    @Test
    void shouldRefuseTheSameFileTwice() {
        Map<String, Object> properties = valid();
        properties.put(DiskSettings.HIDDEN_PATH, dir.resolve("active.img").toString());
        InvalidConfigurationException e = refused(properties);
        assertTrue(e.getMessage().contains(DiskSettings.HIDDEN_PATH) && e.getMessage().contains("same file as "
                + DiskSettings.ACTIVE_PATH), e.getMessage());
    }

    @Test
    void shouldRefuseMissingOverlaysAndOverlaysOfAnotherSize() throws Exception {
        DiskSettings settings = DiskSettings.parse(valid());
        InvalidConfigurationException missing = assertThrows(InvalidConfigurationException.class,
                () -> DiskFiles.open(settings, Role.SECONDARY));
        assertTrue(missing.getMessage().contains(DiskSettings.ACTIVE_PATH) && missing.getMessage().contains(
                "overlay missing"), missing.getMessage());

        sparse(settings.activePath(), SIZE);
        sparse(settings.hiddenPath(), SIZE + 4096);
        InvalidConfigurationException sizes = assertThrows(InvalidConfigurationException.class,
                () -> DiskFiles.open(settings, Role.SECONDARY));
        assertTrue(sizes.getMessage().contains(DiskSettings.HIDDEN_PATH) && sizes.getMessage().contains("sizes differ"),
                sizes.getMessage());

        sparse(settings.hiddenPath(), SIZE);
        try (DiskFiles secondary = DiskFiles.open(settings, Role.SECONDARY)) {
            assertNotNull(secondary.layers());
            assertEquals(SIZE, secondary.local().sizeBytes());
        }
        try (DiskFiles primary = DiskFiles.open(settings, Role.PRIMARY)) {
            assertNull(primary.layers());
        }
    }

    private static void sparse(Path file, long size) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }
}
