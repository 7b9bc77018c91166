package dev.colo.guest.kv.internal.component;

import dev.colo.api.guest.ExecutionOrder;
import dev.colo.api.guest.GuestState;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.guest.kv.internal.order.Follower;
import dev.colo.guest.kv.internal.server.KvServer;
import dev.colo.guest.kv.internal.store.KvStore;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The reference guest as the checkpoint coordinator sees it. */
final class KvGuest implements ProtectedGuest {
    private final GuestSettings settings;
    private final KvStore store;
    private final KvServer server;
    private final InetSocketAddress endpoint;
    private volatile boolean stopped;
    /** The pair's proxy, told when the guest stops following (it asks the primary for a checkpoint). */
    private volatile Consumer<String> orderLostToProxy = why -> { };

    /** @param orderLost told (for an event) each time the guest stops following the primary's order */
    KvGuest(GuestSettings settings, KvStore store, KvServer server, InetSocketAddress endpoint,
            Consumer<String> orderLost) {
        this.settings = settings;
        this.store = store;
        this.server = server;
        this.endpoint = endpoint;
        server.onGiveUp(why -> {
            orderLost.accept(why);
            orderLostToProxy.accept(why);
        });
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
        Map<Long, Long> executed = store.restore(state.bytes(), state.full());
        if (executed != null) {
            server.follower().ifPresent(follower -> follower.restored(executed)); // follow from what the state holds
        } else {
            server.unordered();
        }
    }

    @Override
    public Optional<ExecutionOrder> executionOrder() {
        return server.follower().map(follower -> new Order(follower));
    }

    /** The guest's execution order: the store leads it, the server's follower follows it. */
    private final class Order implements ExecutionOrder {
        private final Follower<?> follower;

        Order(Follower<?> follower) {
            this.follower = follower;
        }

        @Override
        public void lead(Consumer<byte[]> sink) {
            store.lead(sink);
            if (sink != null) {
                server.unordered(); // a primary now: what waited for an order that will not come runs
            }
        }

        @Override
        public void follow(ByteBuffer order) {
            server.follow(order);
        }

        @Override
        public void onGiveUp(Consumer<String> listener) {
            orderLostToProxy = listener == null ? why -> { } : listener;
        }

        @Override
        public Optional<Map<Long, Long>> outputMarks() {
            return server.outputMarks();
        }

        @Override
        public OrderStats stats() {
            long[] shipped = store.orderShipped();
            return new OrderStats(store.leading(), follower.following(), shipped[0], shipped[1],
                    follower.entriesApplied(), follower.entriesWaiting(), follower.bytesWaiting(),
                    follower.gaveUp());
        }
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
