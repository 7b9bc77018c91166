package dev.colo.transport.internal;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.ColoException;
import dev.colo.api.NodeId;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerLinkStats;
import dev.colo.api.transport.PeerMessageListener;
import dev.colo.transport.internal.frame.Frame;
import dev.colo.transport.internal.frame.FrameConstants;
import dev.colo.transport.internal.mina.MinaTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer link of this node, active while the pair configuration is valid. Both nodes listen and both
 * dial: each sends its messages on the connections it dialed and receives the peer's on the ones it
 * accepted, one TLS connection per channel and direction. Messages from the peer go to the
 * {@link PeerMessageListener} whiteboard.
 */
@Component(service = PeerLink.class, immediate = true)
public final class PeerLinkComponent implements PeerLink {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLinkComponent.class);

    private final PairSettings settings;
    private final AtomicReference<EventAdmin> eventAdmin = new AtomicReference<>();
    private final MessageDispatcher dispatcher = new MessageDispatcher();
    private final LinkCounters counters = new LinkCounters();
    private final LinkStatus status;
    private final MinaTransport transport;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Loads the TLS material and binds the listening socket; dialing the peer goes on asynchronously.
     *
     * @throws IllegalStateException with a {@link ColoException} cause when the key material is unusable
     *                               ({@link ColoErrorCode#TLS_MATERIAL_UNUSABLE}) or the port cannot be bound
     */
    @Activate
    public PeerLinkComponent(@Reference PairConfiguration pairConfiguration) {
        settings = pairConfiguration.settings();
        SSLContext tls = loadTls(settings);
        LinkReporter reporter = new LinkReporter(settings.nodeId(), settings.role(), eventAdmin::get, counters);
        status = new LinkStatus(reporter);
        try {
            transport = MinaTransport.start(new LinkContext(settings, status, counters, reporter, dispatcher), tls);
        } catch (IOException e) {
            LOG.error("Peer link cannot start: {}", e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.info("Peer link of {} ({}) listening on {}:{}, dialing {}", settings.nodeId(),
                settings.role().configValue(), settings.listenAddress(), settings.listenPort(), settings.peerAddress());
    }

    private static SSLContext loadTls(PairSettings settings) {
        try {
            return TlsContextFactory.create(settings.tls(), settings.nodeId());
        } catch (ColoException e) {
            LOG.error("Peer link cannot start: {}", e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Idempotent: the first call closes, later ones return at once. */
    @Deactivate
    void deactivate() {
        if (closed.compareAndSet(false, true)) {
            status.close("peer link stopped");
            transport.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEventAdmin(EventAdmin admin) {
        eventAdmin.set(admin);
    }

    void unsetEventAdmin(EventAdmin admin) {
        eventAdmin.compareAndSet(admin, null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removePeerMessageListener", updated = "updatedPeerMessageListener")
    void addPeerMessageListener(PeerMessageListener listener, Map<String, Object> properties) {
        dispatcher.add(listener, properties);
    }

    void updatedPeerMessageListener(PeerMessageListener listener, Map<String, Object> properties) {
        dispatcher.update(listener, properties);
    }

    void removePeerMessageListener(PeerMessageListener listener) {
        dispatcher.remove(listener);
    }

    @Override
    public LinkState state() {
        return status.state();
    }

    @Override
    public CompletableFuture<Void> send(LinkChannel channel, String type, byte[] payload) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        int typeBytes = type.getBytes(StandardCharsets.UTF_8).length;
        if (typeBytes == 0 || typeBytes > FrameConstants.MAX_TYPE_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "message type must be 1-" + FrameConstants.MAX_TYPE_BYTES + " bytes of UTF-8, is " + typeBytes));
        }
        if (payload.length > settings.maxFrameBytes()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("payload of " + payload.length
                    + " bytes is above link.max.frame.bytes = " + settings.maxFrameBytes()));
        }
        if (closed.get()) {
            return CompletableFuture.failedFuture(new ColoException(ColoErrorCode.LINK_DOWN, channel, type));
        }
        // copied: the frame may wait in the queue while the caller reuses its array
        return transport.send(channel, Frame.message(type, payload.clone()));
    }

    @Override
    public long lastHeardNanos() {
        return counters.lastHeardNanos();
    }

    @Override
    public long lastRefusedNanos() {
        return counters.lastDialRefusedNanos();
    }

    @Override
    public PeerLinkStats stats() {
        NodeId peer = status.peer();
        return counters.snapshot(status.state(), settings.peerAddress(), peer == null ? "" : peer.value());
    }
}
