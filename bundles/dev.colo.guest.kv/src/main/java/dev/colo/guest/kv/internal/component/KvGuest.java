package dev.colo.guest.kv.internal.component;

import dev.colo.api.guest.GuestState;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.guest.kv.internal.server.KvServer;
import dev.colo.guest.kv.internal.store.KvStore;
import java.net.InetSocketAddress;
import java.util.List;

/** The reference guest as the checkpoint coordinator sees it. */
final class KvGuest implements ProtectedGuest {
    private final GuestSettings settings;
    private final KvStore store;
    private final KvServer server;
    private final InetSocketAddress endpoint;
    private volatile boolean stopped;

    KvGuest(GuestSettings settings, KvStore store, KvServer server, InetSocketAddress endpoint) {
        this.settings = settings;
        this.store = store;
        this.server = server;
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public void pause() {
        server.pause();
    }

    @Override
    public void resume() {
        server.resume();
    }

    @Override
    public GuestState capture(boolean full) {
        requireRunning("capture");
        return new GuestState(full, store.capture(full));
    }

    @Override
    public void restore(GuestState state) {
        requireRunning("restore");
        store.restore(state.bytes(), state.full());
    }

    /** The guest this instance served stopped; a restart is a new instance, recovered from the disk. */
    void stopped() {
        stopped = true;
    }

    /**
     * A checkpoint that still holds this instance after the guest restarted would capture (or load) a state, and a
     * log cursor, that are no longer the guest's: a secondary loading such a cursor appends where the log no
     * longer ends.
     */
    private void requireRunning(String what) {
        if (stopped) {
            throw new IllegalStateException("guest " + name() + ": " + what + " of an instance that stopped (the "
                    + "guest restarted since, as a new one)");
        }
    }

    @Override
    public InetSocketAddress endpoint() {
        return endpoint;
    }

    @Override
    public List<String> disks() {
        return List.of(settings.disk());
    }
}
