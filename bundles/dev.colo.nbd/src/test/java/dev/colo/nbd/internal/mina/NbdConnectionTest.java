package dev.colo.nbd.internal.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.internal.server.NbdExport;
import dev.colo.storage.FileBlockDevice;
import java.nio.file.Path;
import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flow control of one connection: reading pauses at the in-flight limits and resumes below half. */
class NbdConnectionTest {
    @TempDir
    Path dir;

    @Test
    void shouldSuspendReadingAtTheRequestLimitAndResumeBelowHalf() throws Exception {
        DummySession session = new DummySession();
        try (FileBlockDevice store = FileBlockDevice.open(dir.resolve("d.img"), 4096, false)) {
            NbdConnection connection = new NbdConnection(session, new NbdExport("d", store));
            for (int i = 0; i < NbdConnection.MAX_IN_FLIGHT_REQUESTS - 1; i++) {
                connection.started(0);
            }
            assertFalse(session.isReadSuspended(), "64 and more requests must be possible in flight");
            connection.started(0);
            assertTrue(session.isReadSuspended());
            while (connection.inFlight() > NbdConnection.MAX_IN_FLIGHT_REQUESTS / 2) {
                connection.finished(0);
                assertTrue(session.isReadSuspended(), "resumed too early at " + connection.inFlight());
            }
            connection.finished(0);
            assertFalse(session.isReadSuspended());
        }
    }

    @Test
    void shouldSuspendReadingAtTheByteLimit() throws Exception {
        DummySession session = new DummySession();
        try (FileBlockDevice store = FileBlockDevice.open(dir.resolve("d.img"), 4096, false)) {
            NbdConnection connection = new NbdConnection(session, new NbdExport("d", store));
            long payload = 32L * 1024 * 1024;
            int requests = (int) (NbdConnection.MAX_IN_FLIGHT_BYTES / payload);
            for (int i = 0; i < requests - 1; i++) {
                connection.started(payload);
            }
            assertFalse(session.isReadSuspended());
            connection.started(payload);
            assertTrue(session.isReadSuspended());
            for (int i = 0; i < requests; i++) {
                assertEquals(requests - i - 1, connection.finished(payload));
            }
            assertFalse(session.isReadSuspended());
        }
    }
}
