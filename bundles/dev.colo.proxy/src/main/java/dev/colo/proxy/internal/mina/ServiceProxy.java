package dev.colo.proxy.internal.mina;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.guest.ConnectionHeader;
import dev.colo.api.guest.ExecutionOrder;
import dev.colo.api.util.Threads;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.primary.ConnectionCounters;
import dev.colo.proxy.internal.primary.ConnectionPorts;
import dev.colo.proxy.internal.primary.ListenerBinding;
import dev.colo.proxy.internal.primary.PrimaryConnection;
import dev.colo.proxy.internal.primary.ServicePorts;
import dev.colo.proxy.internal.secondary.SecondaryConnection;
import dev.colo.proxy.internal.wire.ProxyMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.IoAcceptor;
import org.apache.mina.core.service.IoConnector;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.SocketSessionConfig;
import org.apache.mina.transport.socket.nio.NioDatagramAcceptor;
import org.apache.mina.transport.socket.nio.NioDatagramConnector;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data path of one protected service over MINA, TCP or UDP. On the primary: clients connect to the
 * service's listen address (for UDP, each client address is a flow, ended after a minute of silence); each
 * gets a connection to the local guest and a {@link PrimaryConnection} between them. On the secondary: each
 * mirrored open makes a connection to the local guest and a {@link SecondaryConnection}. Peer messages arrive through {@link #peerMessage}; checkpoints through
 * {@link #checkpointReleased} and {@link #checkpointLoaded}. Each connection's logic runs under its own
 * lock, as its events come from several threads (client, guest, peer link, timer, coordinator).
 */
public final class ServiceProxy implements AutoCloseable {
    private static final AttributeKey CONNECTION = new AttributeKey(ServiceProxy.class, "connection");
    private static final AttributeKey GUEST = new AttributeKey(ServiceProxy.class, "guest");
    /** Datagrams of a UDP flow that arrived before its guest connection was up, in order. */
    private static final AttributeKey EARLY = new AttributeKey(ServiceProxy.class, "early");
    /** Bytes for the peer not yet written to the link at which reading stops (clients, or guests). */
    private static final long MIN_PEER_BACKLOG_BYTES = 32L << 20;
    private static final long TICK_MILLIS = 10;
    private static final int MAX_READ_BUFFER_BYTES = 256 * 1024;
    private static final int UDP_FLOW_IDLE_SECONDS = 60;
    private static final Logger logger = LoggerFactory.getLogger(ServiceProxy.class);

    private final ServiceSettings settings;
    private final Role role;
    private final PeerSender peer;
    private final Consumer<ProxyMessage> tracked = this::sendToPeer;
    private final AtomicLong peerBacklog = new AtomicLong();
    private final long maxPeerBacklog;
    private volatile boolean pausedForPeer;
    private final ServicePorts ports;
    private final ExecutorService ioExecutor;
    private final SimpleIoProcessorPool<NioSession> processors;
    private final IoConnector guests;
    private final IoAcceptor clients;
    /** The primary's listener on the service port, its bind tried again until it succeeds; null on a secondary. */
    private final ListenerBinding listener;
    private final ScheduledExecutorService ticker;
    private final Map<Long, PrimaryConnection> primaries = new ConcurrentHashMap<>();
    private final Map<Long, MirroredConnection> secondaries = new ConcurrentHashMap<>();
    /** Connection ids, shared with a successor: the secondary may still hold this proxy's connections. */
    private final AtomicLong ids;
    private final ConnectionPorts.Checkpoints checkpoints;
    private final ServicePorts.MiscompareListener miscompares;
    private final ListenerBinding.Listener listening;
    private volatile long lastTickNanos;
    private volatile boolean protecting;
    /** Held while a connection is attached and while protection changes. */
    private final Object attaching = new Object();
    private volatile long epoch;
    /** The local guest's execution order, when it has one: connections to the guest start with a header. */
    private volatile ExecutionOrder order;
    private final java.util.concurrent.atomic.LongAdder ordersLost = new java.util.concurrent.atomic.LongAdder();

    /** Sends a message to the peer's proxy; completes when it was written to the link. */
    @FunctionalInterface
    public interface PeerSender {
        CompletableFuture<Void> send(ProxyMessage message);
    }

    /**
     * @param peer        sends a message to the peer's proxy (over the peer link's BULK channel)
     * @param listening   told when the primary starts or stops listening for clients, or a bind fails
     * @param protecting  whether a secondary is there to compare with (else output goes straight to clients)
     */
    public ServiceProxy(ServiceSettings settings, Role role, PeerSender peer,
            ConnectionPorts.Checkpoints checkpoints, ServicePorts.MiscompareListener miscompares,
            ListenerBinding.Listener listening, boolean protecting) {
        this(settings, role, peer, checkpoints, miscompares, listening, protecting, new AtomicLong(), 0);
    }

    private ServiceProxy(ServiceSettings settings, Role role, PeerSender peer,
            ConnectionPorts.Checkpoints checkpoints, ServicePorts.MiscompareListener miscompares,
            ListenerBinding.Listener listening, boolean protecting, AtomicLong ids, long epoch) {
        this.checkpoints = checkpoints;
        this.miscompares = miscompares;
        this.listening = listening;
        this.ids = ids;
        this.epoch = epoch;
        this.settings = settings;
        this.role = role;
        this.peer = peer;
        this.maxPeerBacklog = Math.max(MIN_PEER_BACKLOG_BYTES, 4 * settings.maxHeldBytes());
        this.ports = new ServicePorts(tracked, checkpoints, miscompares, new ConnectionCounters());
        this.protecting = protecting;
        String prefix = "colo-proxy-" + settings.name();
        this.ioExecutor = Executors.newCachedThreadPool(Threads.named(prefix + "-io-"));
        this.processors = new SimpleIoProcessorPool<>(NioProcessor.class, ioExecutor);
        boolean udp = settings.protocol() == ServiceSettings.Protocol.UDP;
        this.guests = udp ? new NioDatagramConnector(processors) : tcpConnector();
        guests.setHandler(new GuestHandler());
        this.clients = role != Role.PRIMARY ? null : udp ? new NioDatagramAcceptor(ioExecutor) : tcpAcceptor();
        this.ticker = Executors.newSingleThreadScheduledExecutor(Threads.named(prefix + "-timer-"));
        this.listener = clients == null ? null : new ListenerBinding(settings.name(), settings.listenAt(),
                this::bindClients, (millis, task) -> ticker.schedule(task, millis, TimeUnit.MILLISECONDS), listening);
    }

    private NioSocketConnector tcpConnector() {
        NioSocketConnector connector = new NioSocketConnector(ioExecutor, processors);
        streamBuffers(connector.getSessionConfig());
        return connector;
    }

    private NioSocketAcceptor tcpAcceptor() {
        NioSocketAcceptor acceptor = new NioSocketAcceptor(ioExecutor, processors);
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(1024);
        streamBuffers(acceptor.getSessionConfig());
        return acceptor;
    }

    /**
     * No Nagle delay; reads may grow to 256 KiB (MINA doubles the size while reads fill it and halves it while
     * they do not), as each read becomes a message to mirror and compare.
     */
    private static void streamBuffers(SocketSessionConfig config) {
        config.setTcpNoDelay(true);
        config.setMaxReadBufferSize(MAX_READ_BUFFER_BYTES);
    }

    /**
     * Starts listening for clients (primary); returns the bound address, or null on a secondary or when the bind
     * failed: it is then tried again until it succeeds or the proxy is closed (see {@link ListenerBinding}).
     */
    public InetSocketAddress start() {
        lastTickNanos = System.nanoTime();
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        if (clients == null) {
            return null;
        }
        // a UDP flow (one client address) ends when it has been silent this long
        clients.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, UDP_FLOW_IDLE_SECONDS);
        clients.setHandler(new ClientHandler());
        return listener.start();
    }

    /** The address is resolved at each attempt: one not on this host yet may be later. */
    private InetSocketAddress bindClients() throws IOException {
        clients.bind(new InetSocketAddress(settings.listenAddress(), settings.listenPort()));
        InetSocketAddress bound = (InetSocketAddress) clients.getLocalAddress();
        logger.info("Proxy {}: {} clients on {}, guest {}:{}", settings.name(), settings.protocol(), bound,
                settings.guestHost(), settings.guestPort());
        return bound;
    }

    /** Whether a listener accepts clients on the listen address (never on a secondary). */
    public boolean isListening() {
        return listener != null && listener.isListening();
    }

    public Role role() {
        return role;
    }

    public ServiceSettings settings() {
        return settings;
    }

    public ConnectionCounters counters() {
        return ports.counters();
    }

    public boolean isProtecting() {
        return protecting;
    }

    /** Bytes held back from clients now, over every connection. */
    public long heldBytes() {
        long held = 0;
        for (PrimaryConnection connection : primaries.values()) {
            synchronized (connection) {
                held += connection.heldBytes();
            }
        }
        return held;
    }

    /** Bytes handed to the peer link and not written yet. */
    public long peerBacklogBytes() {
        return peerBacklog.get();
    }

    public int connections() {
        return primaries.size() + secondaries.size();
    }

    /** A message of the peer's proxy for this service. */
    public void peerMessage(ProxyMessage message) {
        if (message instanceof ProxyMessage.Order ordered) {
            ExecutionOrder following = order;
            if (role == Role.SECONDARY && following != null) {
                following.follow(ordered.data());
            }
            return;
        }
        if (message instanceof ProxyMessage.OrderLost lost) {
            if (role == Role.PRIMARY) {
                ordersLost.increment();
                checkpoints.request(CheckpointReason.MISCOMPARE, "the secondary's guest stopped following the "
                        + "execution order: " + lost.why());
            }
            return;
        }
        if (role == Role.PRIMARY) {
            PrimaryConnection connection = primaries.get(message.connection());
            if (connection == null) {
                return; // closed here already
            }
            synchronized (connection) {
                if (message instanceof ProxyMessage.Output output) {
                    connection.secondaryOutput(output.epoch(), output.data(), System.nanoTime());
                } else if (message instanceof ProxyMessage.End end) {
                    connection.secondaryEnded(end.epoch());
                }
            }
        } else if (message instanceof ProxyMessage.Open open) {
            openMirrored(open.connection(), open.client());
        } else {
            MirroredConnection connection = secondaries.get(message.connection());
            if (connection != null) {
                connection.peerMessage(message);
            }
        }
    }

    /**
     * Primary, checkpoint step 4: what every connection held is released. When the checkpoint captured this
     * service's guest, the connections that are not protected end (see
     * {@link PrimaryConnection#endIfUnprotected()}) and their clients reconnect to the protected service; a
     * service whose guest no checkpoint captures keeps its (never protected) connections.
     */
    public void checkpointReleased(long newEpoch, boolean guestCheckpointed) {
        epoch = newEpoch;
        Map<Long, Long> marks = outputMarks();
        int ended = 0;
        for (PrimaryConnection connection : primaries.values()) {
            synchronized (connection) {
                if (guestCheckpointed && connection.endIfUnprotected()) {
                    ended++;
                } else {
                    connection.checkpointReleased(newEpoch, marks.getOrDefault(connection.id(), -1L),
                            System.nanoTime());
                }
            }
        }
        if (ended > 0) {
            logger.info("Proxy {}: checkpoint {}: ended {} connection(s) that began or went on while the pair was not "
                    + "protected (a failover would lose what they acknowledged from now on); their clients reconnect",
                    settings.name(), newEpoch, ended);
        }
    }

    /**
     * Secondary, checkpoint step 5: output from now on belongs to {@code newEpoch}; for a connection whose guest
     * said where its output stood at the load, only what it produces after that point.
     */
    public void checkpointLoaded(long newEpoch) {
        Map<Long, Long> marks = outputMarks();
        for (Map.Entry<Long, Long> mark : marks.entrySet()) {
            MirroredConnection connection = secondaries.get(mark.getKey());
            if (connection != null) {
                connection.loaded(mark.getValue());
            }
        }
        epoch = newEpoch;
    }

    /**
     * Where the guest's output of each connection stood at the pause (see {@link ExecutionOrder#outputMarks}),
     * when it can say; empty otherwise. Called while the guest is paused.
     */
    private Map<Long, Long> outputMarks() {
        ExecutionOrder guestOrder = order;
        return guestOrder == null ? Map.of() : guestOrder.outputMarks().orElse(Map.of());
    }

    /**
     * Whether a secondary compares; losing it releases everything held and forwards directly from then on. Gaining it
     * ends the connections that began unprotected: otherwise they would go on acknowledging, until the next
     * checkpoint, writes the secondary does not have; their clients reconnect, protected, and a checkpoint takes to
     * the secondary what they acknowledged since the last one.
     */
    public void protecting(boolean now) {
        List<PrimaryConnection> existing;
        synchronized (attaching) {
            protecting = now;
            existing = List.copyOf(primaries.values()); // a connection attached from now on has the new value
        }
        if (!now) {
            existing.forEach(connection -> {
                synchronized (connection) {
                    connection.unprotected(System.nanoTime());
                }
            });
            return;
        }
        int ended = 0;
        for (PrimaryConnection connection : existing) {
            synchronized (connection) {
                ended += connection.endIfUnprotected() ? 1 : 0;
            }
        }
        if (ended > 0) {
            logger.info("Proxy {}: protection starts: ended {} connection(s) that began unprotected; their clients "
                    + "reconnect, and a checkpoint takes what they acknowledged to the secondary", settings.name(), ended);
            ports.checkpoints().request(CheckpointReason.PROTECT, ended + " unprotected connection(s) of "
                    + settings.name() + " ended as protection starts");
        }
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close(); // first: no retry binds once the acceptor is disposed
        }
        ticker.shutdownNow();
        if (clients != null) {
            clients.unbind();
            clients.getManagedSessions().values().forEach(IoSession::closeNow);
            clients.dispose(true);
        }
        guests.getManagedSessions().values().forEach(IoSession::closeNow);
        guests.dispose(true);
        processors.dispose();
        ioExecutor.shutdownNow();
    }

    /**
     * Sends to the peer, counting what the link has not written yet: above the backlog bound this node stops
     * reading what feeds the link (clients on the primary, guests on the secondary) until half of it is gone.
     */
    private void sendToPeer(ProxyMessage message) {
        long bytes = message.dataBytes();
        long backlog = peerBacklog.addAndGet(bytes);
        if (backlog >= maxPeerBacklog && !pausedForPeer) {
            pausedForPeer = true;
            logger.warn("Proxy {}: {} bytes wait for the peer link; reading paused", settings.name(), backlog);
            feeders().forEach(session -> ReadGate.of(session).close(ReadGate.Reason.PEER_LINK));
        }
        peer.send(message).whenComplete((ok, failure) -> {
            long left = peerBacklog.addAndGet(-bytes);
            if (pausedForPeer && left < maxPeerBacklog / 2) {
                pausedForPeer = false;
                feeders().forEach(session -> ReadGate.of(session).open(ReadGate.Reason.PEER_LINK));
            }
        });
    }

    /**
     * The sessions whose input ends up on the peer link. UDP client flows share one channel, which cannot be
     * paused for one flow: they are not paused (their datagrams wait in the link's queue).
     */
    private java.util.Collection<IoSession> feeders() {
        if (clients != null && settings.protocol() == ServiceSettings.Protocol.UDP) {
            return java.util.List.of();
        }
        return (clients != null ? clients : guests).getManagedSessions().values();
    }

    private void tick() {
        long now = System.nanoTime();
        try {
            primaries.values().forEach(connection -> {
                synchronized (connection) {
                    connection.tick(now);
                }
            });
        } catch (RuntimeException | Error e) {
            // the executor would drop it silently with the timer: the watchdog sees the timer stop, this says why
            logger.error("Proxy {}: its timer failed", settings.name(), e);
            throw e;
        }
        lastTickNanos = now;
    }

    /**
     * The watchdog's look, from any thread without taking a lock (a hung proxy may hold one): the timer that ages
     * held output has not run for {@code watchdog.timeout.ms}, or a connection has held output that long (nothing
     * released it: no match, no checkpoint, no loss of the secondary). Empty while it makes progress.
     */
    public Optional<String> hang(long nowNanos) {
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.watchdogTimeoutMillis());
        long sinceTick = nowNanos - lastTickNanos;
        if (sinceTick > timeoutNanos) {
            return Optional.of("its timer has not run for " + TimeUnit.NANOSECONDS.toMillis(sinceTick) + " ms");
        }
        for (PrimaryConnection connection : primaries.values()) {
            long heldFor = connection.heldForNanosAtTick();
            if (heldFor > timeoutNanos) {
                return Optional.of("connection " + connection.id() + " has held output for "
                        + TimeUnit.NANOSECONDS.toMillis(heldFor) + " ms (watchdog.timeout.ms " + settings
                        .watchdogTimeoutMillis() + "): neither a match nor a checkpoint released it");
            }
        }
        return Optional.empty();
    }

    /**
     * A new proxy for the same service, to replace this one after it hung: it goes on from this one's checkpoint
     * epoch and connection ids (the secondary may still hold connections of this one). Not started.
     */
    public ServiceProxy successor(boolean nowProtecting) {
        return new ServiceProxy(settings, role, peer, checkpoints, miscompares, listening, nowProtecting, ids, epoch);
    }

    /**
     * The local guest's execution order from now on ({@code null}: none). Connections made to the guest after this
     * start with a {@link ConnectionHeader}; the owner ({@code ProxyServices}) tells the guest to lead or follow.
     */
    public void executionOrder(ExecutionOrder guestOrder) {
        order = guestOrder;
    }

    /** Primary: one message of the guest's order to the secondary, in the stream of the input it orders. */
    public void publishOrder(byte[] message) {
        if (protecting) {
            tracked.accept(new ProxyMessage.Order(settings.name(), 0, ByteBuffer.wrap(message)));
        }
    }

    /** Secondary: its guest stopped following the order; the primary asks for a checkpoint. */
    public void orderLost(String why) {
        tracked.accept(new ProxyMessage.OrderLost(settings.name(), 0, why));
    }

    /** Primary: times the secondary said its guest stopped following the order. */
    public long ordersLost() {
        return ordersLost.sum();
    }

    /** The guest connection of connection {@code id} starts with its header, when the guest follows an order. */
    private void announce(IoSession guest, long id, String client) {
        if (order == null) {
            return;
        }
        InetSocketAddress server = new InetSocketAddress(settings.listenAddress(), settings.listenPort());
        GuestInput.announce(guest, new ConnectionHeader(id, ConnectionHeaders.address(client, guest),
                ConnectionHeaders.resolved(server, guest), settings.protocol() == ServiceSettings.Protocol.UDP));
    }

    /** Primary: a client connected; its reads wait until its guest connection is up. */
    private final class ClientHandler extends IoHandlerAdapter {
        @Override
        public void sessionOpened(IoSession client) {
            if (primaries.size() >= settings.maxConnections()) {
                logger.warn("Proxy {}: refusing {}: {} connections already (max.connections)", settings.name(),
                        client.getRemoteAddress(), primaries.size());
                client.closeNow();
                return;
            }
            if (settings.protocol() == ServiceSettings.Protocol.TCP) {
                // (UDP flows share one channel: their first datagrams wait in EARLY)
                ReadGate.of(client).close(ReadGate.Reason.CONNECTING);
            }
            long id = ids.incrementAndGet();
            guests.connect(new InetSocketAddress(settings.guestHost(), settings.guestPort()),
                    (IoSession guest, ConnectFuture future) -> guest.setAttribute(GuestHandler.SINK,
                            primarySink(id))).addListener(connected -> {
                                ConnectFuture future = (ConnectFuture) connected;
                                if (!future.isConnected()) {
                                    logger.warn("Proxy {}: guest {}:{} unreachable, closing client {}", settings.name(),
                                            settings.guestHost(), settings.guestPort(), client.getRemoteAddress());
                                    client.closeNow();
                                    return;
                                }
                                attach(id, client, future.getSession());
                            });
        }

        @Override
        public void messageReceived(IoSession client, Object message) {
            if (pausedForPeer && settings.protocol() == ServiceSettings.Protocol.UDP) {
                dropDatagram(client);
                return;
            }
            ByteBuffer data = ((IoBuffer) message).buf();
            PrimaryConnection connection = (PrimaryConnection) client.getAttribute(CONNECTION);
            if (connection == null) {
                // only a UDP flow's first datagrams get here (TCP reads wait for the guest connection)
                synchronized (client) {
                    connection = (PrimaryConnection) client.getAttribute(CONNECTION);
                    if (connection == null) {
                        early(client).add(data);
                        return;
                    }
                }
            }
            synchronized (connection) {
                connection.clientInput(data);
            }
        }

        /** A client that reads again lets its guest's output flow again (see {@link SessionClient#send}). */
        @Override
        public void messageSent(IoSession client, Object message) {
            IoSession guest = (IoSession) client.getAttribute(GUEST);
            if (guest != null && client.getScheduledWriteBytes() < settings.maxHeldBytes() / 2) {
                ReadGate.of(guest).open(ReadGate.Reason.CLIENT_NOT_READING);
            }
        }

        /** A FIN: the client may still read the replies, so only the guests' input ends. */
        @Override
        public void inputClosed(IoSession client) {
            PrimaryConnection connection = (PrimaryConnection) client.getAttribute(CONNECTION);
            if (connection == null || settings.protocol() == ServiceSettings.Protocol.UDP) {
                client.closeNow();
                return;
            }
            ReadGate.of(client).close(ReadGate.Reason.INPUT_ENDED);
            synchronized (connection) {
                connection.clientInputEnded();
            }
        }

        @Override
        public void sessionClosed(IoSession client) {
            PrimaryConnection connection = (PrimaryConnection) client.getAttribute(CONNECTION);
            if (connection != null) {
                synchronized (connection) {
                    connection.clientClosed();
                }
                primaries.remove(connection.id());
            }
        }

        @Override
        public void sessionIdle(IoSession client, IdleStatus status) {
            if (settings.protocol() == ServiceSettings.Protocol.UDP) {
                client.closeNow(); // the flow expired
            }
        }

        @Override
        public void exceptionCaught(IoSession client, Throwable cause) {
            logger.debug("Proxy {}: client {}: {}", settings.name(), client.getRemoteAddress(), cause.toString());
            client.closeNow();
        }
    }

    /**
     * A UDP flow cannot be paused (the flows share one socket): while the peer link's backlog is at its bound, a
     * client's datagram is dropped before either guest sees it — as a full NIC queue would, which UDP clients
     * are built for — and counted, rather than queued without bound.
     */
    private void dropDatagram(IoSession client) {
        long dropped = ports.counters().datagramDropped();
        if (dropped == 1 || dropped % 1000 == 0) {
            logger.warn("Proxy {}: datagram from {} dropped: the peer link's backlog is at its bound ({} bytes); "
                    + "{} dropped so far", settings.name(), client.getRemoteAddress(), peerBacklog.get(), dropped);
        }
    }

    private void attach(long id, IoSession client, IoSession guest) {
        PrimaryConnection connection;
        synchronized (attaching) { // with protecting(): a connection is either protected, or seen and ended there
            if (protecting) { // only a mirrored connection has a place in the order: the secondary has no other
                announce(guest, id, String.valueOf(client.getRemoteAddress()));
            }
            connection = new PrimaryConnection(settings, id, String.valueOf(client.getRemoteAddress()), epoch,
                    protecting, new SessionClient(client, guest, settings.maxHeldBytes()), new SessionGuest(guest),
                    ports);
            primaries.put(id, connection);
        }
        synchronized (client) {
            client.setAttribute(GUEST, guest);
            synchronized (connection) {
                early(client).forEach(connection::clientInput);
            }
            client.removeAttribute(EARLY);
            // published last: a datagram that sees the connection comes after the early ones
            client.setAttribute(CONNECTION, connection);
        }
        if (settings.protocol() == ServiceSettings.Protocol.TCP) {
            if (pausedForPeer) {
                ReadGate.of(client).close(ReadGate.Reason.PEER_LINK);
            }
            ReadGate.of(client).open(ReadGate.Reason.CONNECTING);
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<ByteBuffer> early(IoSession client) {
        java.util.List<ByteBuffer> early = (java.util.List<ByteBuffer>) client.getAttribute(EARLY);
        if (early == null) {
            early = new java.util.ArrayList<>();
            client.setAttribute(EARLY, early);
        }
        return early;
    }

    /** Where a primary guest session's output goes: the connection's compare (looked up, it may not exist yet). */
    private GuestSink primarySink(long id) {
        return new GuestSink() {
            @Override
            public void output(ByteBuffer data) {
                PrimaryConnection connection = primaries.get(id);
                if (connection != null) {
                    synchronized (connection) {
                        connection.guestOutput(data, System.nanoTime());
                    }
                }
            }

            @Override
            public void ended() {
                PrimaryConnection connection = primaries.get(id);
                if (connection != null) {
                    synchronized (connection) {
                        connection.guestEnded(System.nanoTime());
                    }
                }
            }
        };
    }

    /** Secondary: a mirrored connection opens its own connection to this node's guest. */
    private void openMirrored(long id, String client) {
        MirroredConnection mirrored = new MirroredConnection(id, client);
        secondaries.put(id, mirrored);
        guests.connect(new InetSocketAddress(settings.guestHost(), settings.guestPort()),
                (IoSession guest, ConnectFuture future) -> guest.setAttribute(GuestHandler.SINK, mirrored))
                .addListener(connected -> mirrored.connected((ConnectFuture) connected));
    }

    /** The secondary's side of one connection: mirrored input waits in order until its guest connection is up. */
    private final class MirroredConnection implements GuestSink {
        private final long id;
        private final java.util.ArrayDeque<ProxyMessage> early = new java.util.ArrayDeque<>();
        private SecondaryConnection connection;
        private IoSession guestSession;

        private final String client;

        MirroredConnection(long id, String client) {
            this.id = id;
            this.client = client;
        }

        synchronized void connected(ConnectFuture future) {
            if (!future.isConnected()) {
                logger.warn("Proxy {}: guest {}:{} unreachable for mirrored connection {}", settings.name(),
                        settings.guestHost(), settings.guestPort(), id);
                secondaries.remove(id);
                tracked.accept(new ProxyMessage.End(settings.name(), id, epoch));
                return;
            }
            IoSession guest = future.getSession();
            guestSession = guest;
            announce(guest, id, client);
            connection = new SecondaryConnection(settings.name(), id, new SecondaryConnection.Guest() {
                @Override
                public void send(ByteBuffer data) {
                    GuestInput.write(guest, data);
                }

                @Override
                public void close() {
                    guest.closeOnFlush();
                }

                @Override
                public void endInput() {
                    GuestInput.end(guest);
                }
            }, tracked, () -> epoch);
            while (!early.isEmpty()) {
                deliver(early.poll());
            }
        }

        synchronized void peerMessage(ProxyMessage message) {
            if (connection == null) {
                early.add(message);
            } else {
                deliver(message);
            }
        }

        private void deliver(ProxyMessage message) {
            if (message instanceof ProxyMessage.Input input) {
                connection.input(input.data());
            } else if (message instanceof ProxyMessage.Close) {
                connection.clientClosed();
            } else if (message instanceof ProxyMessage.InputEnd) {
                connection.clientInputEnded();
            } else if (message instanceof ProxyMessage.Pause) {
                ReadGate.of(guestSession).close(ReadGate.Reason.PRIMARY_BEHIND);
            } else if (message instanceof ProxyMessage.Resume) {
                ReadGate.of(guestSession).open(ReadGate.Reason.PRIMARY_BEHIND);
            }
        }

        @Override
        public synchronized void output(ByteBuffer data) {
            connection.guestOutput(data);
        }

        synchronized void loaded(long guestMark) {
            if (connection != null) {
                connection.loaded(guestMark);
            }
        }

        @Override
        public synchronized void ended() {
            if (connection != null) {
                connection.guestEnded();
            }
            secondaries.remove(id);
        }
    }

    /**
     * The primary's client session as the connection logic sees it. A client that does not read makes its
     * write queue grow: at {@code maxQueuedBytes} its guest is no longer read (TCP then slows the guest),
     * until the client drained half of it.
     */
    private record SessionClient(IoSession session, IoSession guest, long maxQueuedBytes)
            implements ConnectionPorts.Client {
        @Override
        public void send(ByteBuffer data) {
            session.write(IoBuffer.wrap(data));
            if (session.getScheduledWriteBytes() >= maxQueuedBytes) {
                ReadGate.of(guest).close(ReadGate.Reason.CLIENT_NOT_READING);
            }
        }

        @Override
        public void close() {
            session.closeOnFlush();
        }
    }

    /** The primary's guest session as the connection logic sees it. */
    private record SessionGuest(IoSession session) implements ConnectionPorts.Guest {
        @Override
        public void send(ByteBuffer data) {
            GuestInput.write(session, data);
        }

        @Override
        public void close() {
            session.closeOnFlush();
        }

        @Override
        public void endInput() {
            GuestInput.end(session);
        }

        @Override
        public void pauseOutput() {
            ReadGate.of(session).close(ReadGate.Reason.SECONDARY_BEHIND);
        }

        @Override
        public void resumeOutput() {
            ReadGate.of(session).open(ReadGate.Reason.SECONDARY_BEHIND);
        }
    }
}
