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
        return new GuestState(full, store.capture(full));
    }

    @Override
    public void restore(GuestState state) {
        store.restore(state.bytes(), state.full());
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
