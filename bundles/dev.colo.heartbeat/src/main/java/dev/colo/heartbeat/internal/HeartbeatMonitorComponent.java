package dev.colo.heartbeat.internal;

import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.PeerHealthChanged;
import dev.colo.api.heartbeat.HeartbeatMonitor;
import dev.colo.api.heartbeat.HeartbeatStats;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.util.Threads;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a heartbeat on the CONTROL channel every interval and judges the peer's health from the time
 * since anything at all was heard from it (so bulk traffic counts as much as heartbeats). Every change
 * of health is logged and posted as a {@link PeerHealthChanged} event.
 */
@Component(service = HeartbeatMonitor.class)
public final class HeartbeatMonitorComponent implements HeartbeatMonitor {
    private static final Logger logger = LoggerFactory.getLogger(HeartbeatMonitorComponent.class);
    /** Health is judged this many times per timeout, so DEAD is declared at most timeout/20 late. */
    private static final int CHECKS_PER_TIMEOUT = 20;
    private static final long MIN_CHECK_MILLIS = 5;

    private final PairSettings settings;
    private final PeerLink link;
    private final FailureDetector detector;
    private final SilenceClock silenceClock;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong sequence = new AtomicLong();
    private final HeartbeatReceiver receiver;
    private final Map<PeerHealth, LongAdder> transitionsInto = new EnumMap<>(PeerHealth.class);

    private volatile EventAdmin eventAdmin;

    @Activate
    public HeartbeatMonitorComponent(@Reference PairConfiguration pairConfiguration, @Reference PeerLink peerLink,
            @Reference HeartbeatReceiver receiver) {
        this.settings = pairConfiguration.settings();
        this.link = peerLink;
        this.receiver = receiver;
        // the start-up grace counts from here: a restarted node gives its peer a full timeout to be heard again
        this.detector = new FailureDetector(settings.heartbeatIntervalMs(), settings.heartbeatTimeoutMs(),
                System.nanoTime());
        this.silenceClock = new SilenceClock(detector.suspectAfterMillis());
        for (PeerHealth health : PeerHealth.values()) {
            transitionsInto.put(health, new LongAdder());
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.named("colo-heartbeat-"));
    }

    /** Runs after the constructor and after SCR bound the dynamic references, so no transition goes unposted. */
    @Activate
    void start() {
        long interval = settings.heartbeatIntervalMs();
        long check = Math.max(MIN_CHECK_MILLIS, Math.min(interval, settings.heartbeatTimeoutMs() / CHECKS_PER_TIMEOUT));
        scheduler.scheduleAtFixedRate(this::sendHeartbeat, 0, interval, TimeUnit.MILLISECONDS);
        scheduler.scheduleAtFixedRate(this::checkHealth, check, check, TimeUnit.MILLISECONDS);
        logger.info("Heartbeat started for peer {}: interval {} ms, suspect after {} ms, dead after {} ms",
                settings.peerAddress(), interval, detector.suspectAfterMillis(), settings.heartbeatTimeoutMs());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEventAdmin(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    void unbindEventAdmin(EventAdmin eventAdmin) {
        if (this.eventAdmin == eventAdmin) {
            this.eventAdmin = null;
        }
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        logger.info("Heartbeat stopped; peer was {}", detector.health());
    }

    @Override
    public PeerHealth health() {
        return detector.health();
    }

    @Override
    public HeartbeatStats stats() {
        return new HeartbeatStats(detector.health(), settings.heartbeatIntervalMs(), detector.suspectAfterMillis(),
                settings.heartbeatTimeoutMs(), sequence.get(), receiver.received(), silenceMillis(),
                transitionsInto.get(PeerHealth.SUSPECTED).sum(), transitionsInto.get(PeerHealth.DEAD).sum(),
                transitionsInto.get(PeerHealth.ALIVE).sum());
    }

    @Override
    public long startedNanos() {
        return detector.startedNanos();
    }

    @Override
    public long lastStallEndedNanos() {
        return silenceClock.lastStallEndedNanos();
    }

    private void sendHeartbeat() {
        if (link.state() == LinkState.CLOSED || link.state() == LinkState.DISCONNECTED) {
            return;
        }
        byte[] body = new HeartbeatPayload(sequence.incrementAndGet(), System.currentTimeMillis()).encode();
        link.send(LinkChannel.CONTROL, HEARTBEAT_MESSAGE_TYPE, body).whenComplete((done, failure) -> {
            if (failure != null) {
                logger.debug("Heartbeat not sent: {}", failure.getMessage());
            }
        });
    }

    private void checkHealth() {
        try {
            boolean anyConnectionUp = link.state() == LinkState.CONNECTED || link.state() == LinkState.CONNECTING;
            long lastHeard = link.lastHeardNanos();
            boolean refusedSinceHeard = lastHeard != Long.MIN_VALUE && link.lastRefusedNanos() != Long.MIN_VALUE
                    && link.lastRefusedNanos() - lastHeard > 0;
            long now = System.nanoTime();
            long stalledMillis = silenceClock.check(now);
            if (stalledMillis > 0) {
                logger.warn("This node was stalled for {} ms (no health check ran: a GC pause, a frozen process, a "
                        + "suspended VM); the peer's silence counts again from now", stalledMillis);
            }
            detector.update(now, lastHeard, silenceClock.silenceMillis(now, lastHeard), anyConnectionUp,
                    refusedSinceHeard).ifPresent(this::announce);
        } catch (RuntimeException e) {
            // a failure here must not cancel the periodic task, or the peer would never be declared dead
            logger.error("Health check failed", e);
        }
    }

    private void announce(FailureDetector.Transition transition) {
        transitionsInto.get(transition.current()).increment();
        String message = "Peer {} health {} -> {} (silent for {} ms, link {}" + (transition.current() == PeerHealth.DEAD
                && transition.silenceMillis() < settings.heartbeatTimeoutMs() ? ", its host refuses connections)" : ")");
        Object[] args = {settings.peerAddress(), transition.previous(), transition.current(),
                transition.silenceMillis(), link.state()};
        if (transition.current() == PeerHealth.ALIVE) {
            logger.info(message, args);
        } else {
            logger.warn(message, args);
        }
        ColoEvents.post(eventAdmin, new PeerHealthChanged(
                EventSource.now(settings.nodeId().value(), settings.role()),
                transition.previous(), transition.current(), transition.silenceMillis()));
    }

    /** Milliseconds since the peer was last heard on any channel, or -1 if never. */
    private long silenceMillis() {
        long lastHeard = link.lastHeardNanos();
        return lastHeard == Long.MIN_VALUE ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeard);
    }
}
