package dev.colo.mqtt.internal.backlog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.mqtt.internal.message.Outbound;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacklogTest {
    @TempDir
    Path dir;

    private static Outbound event(int n) {
        return new Outbound("colo/v1/colo-a/event/x/" + n, ("payload " + n).getBytes(StandardCharsets.UTF_8), false, n);
    }

    @Test
    void keepsEventsInOrderAcrossARestart() throws Exception {
        Backlog backlog = Backlog.open(dir, 10);
        for (int i = 1; i <= 3; i++) {
            backlog.append(event(i));
        }
        backlog.remove(backlog.oldest().orElseThrow());

        Backlog reopened = Backlog.open(dir, 10);
        assertEquals(2, reopened.size());
        Backlog.Entry second = reopened.oldest().orElseThrow();
        assertEquals("colo/v1/colo-a/event/x/2", second.message().topic());
        assertArrayEquals("payload 2".getBytes(StandardCharsets.UTF_8), second.message().payload());
        reopened.remove(second);
        reopened.append(event(4));
        assertEquals("colo/v1/colo-a/event/x/3", reopened.oldest().orElseThrow().message().topic());
        reopened.remove(reopened.oldest().orElseThrow());
        assertEquals("colo/v1/colo-a/event/x/4", reopened.oldest().orElseThrow().message().topic(), "after, not before");
    }

    @Test
    void dropsTheOldestAtTheBoundAndCountsTheDropsUntilReported() throws Exception {
        Backlog backlog = Backlog.open(dir, 2);
        for (int i = 1; i <= 5; i++) {
            backlog.append(event(i));
        }
        assertEquals(2, backlog.size());
        assertEquals("colo/v1/colo-a/event/x/4", backlog.oldest().orElseThrow().message().topic());
        assertEquals(3, backlog.dropped());

        Backlog reopened = Backlog.open(dir, 2);
        assertEquals(3, reopened.unreportedDrops(), "counted on disk too");
        reopened.reported(3);
        assertEquals(0, Backlog.open(dir, 2).unreportedDrops());
        assertEquals(3, Backlog.open(dir, 2).dropped());
    }

    @Test
    void forgetsAnAppendACrashCutShortAndHonoursALoweredLimit() throws Exception {
        Backlog backlog = Backlog.open(dir, 10);
        for (int i = 1; i <= 4; i++) {
            backlog.append(event(i));
        }
        Files.writeString(dir.resolve("5.tmp"), "half");

        Backlog reopened = Backlog.open(dir, 3);
        assertEquals(3, reopened.size());
        assertEquals(1, reopened.dropped());
        assertTrue(Files.notExists(dir.resolve("5.tmp")));
    }
}
