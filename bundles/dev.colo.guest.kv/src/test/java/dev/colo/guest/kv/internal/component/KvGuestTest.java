package dev.colo.guest.kv.internal.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.guest.GuestState;
import dev.colo.guest.kv.internal.log.CommandLog;
import dev.colo.guest.kv.internal.resp.QueryBudget;
import dev.colo.guest.kv.internal.server.KvServer;
import dev.colo.guest.kv.internal.server.ServerOptions;
import dev.colo.guest.kv.internal.store.KvStore;
import dev.colo.storage.FileBlockDevice;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KvGuestTest {
    @TempDir
    Path dir;
    private final List<FileBlockDevice> disks = new ArrayList<>();
    private final List<KvStore> stores = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        stores.forEach(KvStore::close);
        for (FileBlockDevice disk : disks) {
            disk.close();
        }
    }

    private KvGuest guest(String file) throws Exception {
        FileBlockDevice disk = FileBlockDevice.open(dir.resolve(file), 1L << 20, false);
        disks.add(disk);
        KvStore store = new KvStore(CommandLog.open(disk, m -> { }), System::currentTimeMillis, 1L << 20, 64, 1L << 20);
        store.start(Thread::new);
        stores.add(store);
        store.execute(List.of(bytes("SET"), bytes("k"), bytes("v")));
        GuestSettings settings = GuestSettings.parse(Map.of("listen.port", "7000", "disk", "disk0"), 256L << 20);
        KvServer server = new KvServer("kv", store, new ServerOptions(1 << 20, new QueryBudget(1L << 20), false, 1_000, true, 2_000),
                (failed, what) -> { });
        return new KvGuest(settings, store, server, new InetSocketAddress("127.0.0.1", 7000), why -> { });
    }

    @Test
    void anInstanceWhoseGuestRestartedNeitherCapturesNorLoadsAState() throws Exception {
        KvGuest running = guest("a.img");
        GuestState state = running.capture(true);
        KvGuest other = guest("b.img");
        other.restore(state);
        assertArrayEquals(state.bytes(), other.capture(true).bytes(), "a running instance captures and loads");

        running.stopped();
        IllegalStateException capture = assertThrows(IllegalStateException.class, () -> running.capture(false));
        assertTrue(capture.getMessage().contains("capture of an instance that stopped"), capture.getMessage());
        IllegalStateException restore = assertThrows(IllegalStateException.class, () -> running.restore(state));
        assertTrue(restore.getMessage().contains("restore of an instance that stopped"), restore.getMessage());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
