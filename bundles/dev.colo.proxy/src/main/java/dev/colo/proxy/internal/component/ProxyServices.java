package dev.colo.proxy.internal.component;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointParticipant;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointRequests;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerMessage;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.mina.ServiceProxy;
import dev.colo.proxy.internal.wire.ProxyMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the protected services of this node share: the peer link (messages out, and in through the
 * {@link ProxyMessageReceiver}), the checkpoint steps (as a {@link CheckpointParticipant}), the peer's health
 * (as an {@link EventHandler}) and the coordinator. A primary protects its services only while the peer is
 * ALIVE and a coordinator can checkpoint; otherwise it forwards directly and says so.
 */
@Component(service = {ProxyServices.class, CheckpointParticipant.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + ColoTopics.PEER_HEALTH_CHANGED)
public final class ProxyServices implements CheckpointParticipant, EventHandler {
    private static final Logger logger = LoggerFactory.getLogger(ProxyServices.class);

    private final PeerLink link;
    private final ProxyMessageReceiver receiver;
    private final Consumer<PeerMessage> handler = this::onPeerMessage;
    private final Map<String, ServiceProxy> proxies = new ConcurrentHashMap<>();
    /** Read at every decision: a health event posted before this component listened must not leave it stale. */
    private final HeartbeatMonitor heartbeat;
    private volatile CheckpointRequests coordinator;
    private final ProtectedGuests guests = new ProtectedGuests();

    @Activate
    public ProxyServices(@Reference PeerLink link, @Reference ProxyMessageReceiver receiver,
            @Reference HeartbeatMonitor heartbeat) {
        this.link = link;
        this.receiver = receiver;
        this.heartbeat = heartbeat;
        receiver.attach(handler);
    }

    @Deactivate
    void deactivate() {
        receiver.detach(handler);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindCoordinator(CheckpointRequests requests) {
        coordinator = requests;
        updateProtection();
    }

    void unbindCoordinator(CheckpointRequests requests) {
        if (coordinator == requests) {
            coordinator = null;
            updateProtection();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindGuest(ProtectedGuest guest) {
        guests.add(guest);
        updateProtection();
        updateOrders();
    }

    void unbindGuest(ProtectedGuest guest) {
        guests.remove(guest);
        guest.executionOrder().ifPresent(order -> {
            order.lead(null);
            order.onGiveUp(null);
        });
        updateProtection();
        updateOrders();
    }

    /** Adds a service's proxy; whether it protects is decided here, after it is known (no update can be missed). */
    void register(String service, ServiceProxy proxy) {
        proxies.put(service, proxy);
        updateOrders(); // before its first connection: they start with a header when its guest follows an order
        updateProtection();
    }

    void unregister(String service, ServiceProxy proxy) {
        proxies.remove(service, proxy);
        updateOrders();
    }

    /**
     * Each guest with an execution order leads it into the primary's proxy that serves it (which carries it to the
     * secondary), or, on a secondary, tells that proxy when it stops following; each proxy knows whether its guest
     * takes connection headers.
     */
    private synchronized void updateOrders() {
        for (ProtectedGuest guest : guests.all()) {
            guest.executionOrder().ifPresent(order -> {
                ServiceProxy serving = proxies.values().stream().filter(proxy -> ProtectedGuests.serves(
                        guest.endpoint(), proxy.settings().guestHost(), proxy.settings().guestPort()))
                        .findFirst().orElse(null);
                boolean primary = serving != null && serving.role() == Role.PRIMARY;
                order.lead(primary ? serving::publishOrder : null);
                order.onGiveUp(serving != null && !primary ? serving::orderLost : null);
            });
        }
        proxies.values().forEach(proxy -> proxy.executionOrder(
                guests.serving(proxy.settings()).flatMap(ProtectedGuest::executionOrder).orElse(null)));
    }

    /**
     * Whether a primary can protect {@code service} now: a live peer, a coordinator to checkpoint, and a guest
     * that the checkpoints capture and restore. A SUSPECTED peer still protects: output is held until the peer is
     * heard again or a checkpoint fails; releasing it unprotected while the secondary may still take over with
     * its own state would lose what clients were told.
     */
    boolean canProtect(ServiceSettings service) {
        return isLive(heartbeat.health()) && coordinator != null && guests.serve(service);
    }

    private static boolean isLive(PeerHealth health) {
        return health == PeerHealth.ALIVE || health == PeerHealth.SUSPECTED;
    }

    /** Sends a message to the peer's proxy; in order with the others of its service (BULK channel). */
    CompletableFuture<Void> send(ProxyMessage message) {
        return link.send(LinkChannel.BULK, message.type(), message.encode());
    }

    /** Asks the coordinator for a checkpoint; without one there is nothing to ask, which the state says. */
    void requestCheckpoint(CheckpointReason reason, String detail) {
        CheckpointRequests current = coordinator;
        if (current != null) {
            current.request(reason, detail);
        } else {
            logger.warn("Proxy: a checkpoint is needed ({}: {}) but no coordinator runs", reason, detail);
        }
    }

    @Override
    public void released(long epoch) {
        proxies.values().forEach(proxy -> proxy.checkpointReleased(epoch, guests.serve(proxy.settings())));
    }

    @Override
    public void loaded(long epoch) {
        proxies.values().forEach(proxy -> proxy.checkpointLoaded(epoch));
    }

    @Override
    public void handleEvent(Event event) {
        if (event.getProperty(EventProperties.CURRENT) != null) {
            updateProtection(); // what changed is read from the failure detector itself
        }
    }

    private synchronized void updateProtection() {
        proxies.forEach((name, proxy) -> {
            boolean protect = canProtect(proxy.settings());
            if (proxy.isProtecting() != protect) {
                logger.info("Proxy {}: {}", name, protect ? "protecting new connections (peer ALIVE, pair protected)"
                        : "forwarding directly, nothing held (" + whyNot(proxy.settings()) + ")");
                proxy.protecting(protect);
            }
        });
    }

    private String whyNot(ServiceSettings service) {
        List<String> reasons = new ArrayList<>();
        PeerHealth peerHealth = heartbeat.health();
        if (!isLive(peerHealth)) {
            reasons.add("peer " + peerHealth);
        }
        if (coordinator == null) {
            reasons.add("the pair is not protected by checkpoints");
        }
        if (!guests.serve(service)) {
            reasons.add("no protected guest listens on " + service.guestHost() + ":" + service.guestPort()
                    + ", so no checkpoint could align the secondary's");
        }
        return String.join("; ", reasons);
    }

    private void onPeerMessage(PeerMessage message) {
        ProxyMessage decoded;
        try {
            decoded = ProxyMessage.decode(message.type(), message.payload());
        } catch (IOException e) {
            logger.warn("Proxy: ignoring a malformed {} from {}: {}", message.type(), message.from(), e.getMessage());
            return;
        }
        ServiceProxy proxy = proxies.get(decoded.service());
        if (proxy != null) {
            proxy.peerMessage(decoded);
        }
    }
}
