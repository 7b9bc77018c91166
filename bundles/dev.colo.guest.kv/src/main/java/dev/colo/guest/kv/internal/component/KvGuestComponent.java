package dev.colo.guest.kv.internal.component;

import dev.colo.api.config.ComponentConfiguration;
import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.event.EventProperties;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.GuestMemoryBound;
import dev.colo.api.event.GuestOrderLost;
import dev.colo.api.guest.ExecutionOrder;
import dev.colo.api.failover.HandOver;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.health.NodeHealth;
import dev.colo.api.health.RestartWindow;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.GuestMXBean;
import dev.colo.api.management.ManagedBean;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.storage.BlockDevice;
import dev.colo.api.util.Threads;
import dev.colo.guest.kv.internal.log.CommandLog;
import dev.colo.guest.kv.internal.resp.QueryBudget;
import dev.colo.guest.kv.internal.server.KvServer;
import dev.colo.guest.kv.internal.server.ServerOptions;
import dev.colo.guest.kv.internal.store.KvStore;
import dev.colo.guest.kv.internal.store.Mutation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.management.StandardEmitterMBean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference guest of this node (configuration {@value GuestSettings#PID}). It runs while its protected
 * disk is there: it recovers its data from the disk's log, listens for the proxy, and registers itself as a
 * {@link ProtectedGuest} for the checkpoint coordinator; when the disk goes, so does the guest. Invalid
 * configuration leaves it inactive with an error naming the key and value.
 *
 * <p>It supervises itself: a failure it cannot serve through (an I/O thread that died of an error, or the
 * watchdog seeing commands in progress and none completing) makes the node's health
 * FAILED, and the guest is restarted from its disk (everything acknowledged is in its log), at most
 * {@value RestartWindow#LIMIT} times in ten minutes; beyond that it stays stopped, the node FAILED, and a primary
 * hands over to its secondary if that holds its state ({@link HandOver}).
 */
@Component(configurationPid = GuestSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
@Designate(ocd = GuestConfig.class)
public final class KvGuestComponent implements GuestMXBean {
    private static final Logger logger = LoggerFactory.getLogger(KvGuestComponent.class);
    private static final long WATCH_MILLIS = 500;

    /** Every protected disk of this node, by name (bound before activation too). */
    private final Map<String, BlockDevice> devices = new HashMap<>();
    private final RestartWindow restartWindow = RestartWindow.standard();
    private GuestSettings settings;
    private BundleContext context;
    private QueryBudget budget;
    private ScheduledExecutorService supervisor;
    private ManagedBean mbean;
    private BlockDevice disk;
    private KvStore store;
    private CommandLog log;
    /** Where the log of the guest that ran before (on this disk, before it restarted with the role) had reached. */
    private CommandLog.Position reached;
    private KvServer server;
    private ServiceRegistration<ProtectedGuest> registration;
    private KvGuest guest;
    private int restarts;
    private String lastFailure = "";
    /** The failed server that stops after its hand-over; its further failures are not new ones. */
    private KvServer stoppingForGood;
    private boolean refusing;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile NodeHealth nodeHealth;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PairConfiguration pairConfiguration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HandOver handOver;

    @Activate
    void activate(BundleContext bundleContext, Map<String, Object> properties) {
        settings = ComponentConfiguration.parse(logger, properties, GuestSettings::parse, GuestSettings::unknownKeys,
                parsed -> GuestSettings.PID, "the guest");
        budget = new QueryBudget(settings.maxMemoryBytes());
        supervisor = Executors.newSingleThreadScheduledExecutor(Threads.named("colo-guest-" + settings.name()
                + "-supervisor-"));
        EventNotifications notifications = new EventNotifications(GuestMXBean.objectName(settings.name()),
                EventNotifications.Topic.of(ColoTopics.GUEST_MEMORY_BOUND),
                EventNotifications.Topic.of(ColoTopics.GUEST_ORDER_LOST));
        mbean = ManagedBean.register(bundleContext, new StandardEmitterMBean(this, GuestMXBean.class, true,
                notifications.emitter()), GuestMXBean.objectName(settings.name()), notifications,
                "(" + EventProperties.GUEST + "=" + EventNotifications.filterValue(settings.name()) + ")");
        synchronized (this) {
            context = bundleContext;
            BlockDevice device = devices.get(settings.disk());
            if (device != null) {
                start(device);
            } else {
                logger.info("Guest {}: waiting for disk {}", settings.name(), settings.disk());
            }
        }
        supervisor.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        supervisor.shutdown(); // not interrupted: a restart reads the disk, whose channel an interrupt would close
        synchronized (this) {
            stop();
            context = null;
        }
        mbean.close();
        health(health -> health.recovered(component(), "the guest stopped with its configuration or bundle"));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindDevice(BlockDevice device, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(BlockDevice.NAME_PROPERTY));
        devices.put(name, device);
        if (context != null && disk == null && stoppingForGood == null && name.equals(settings.disk())) {
            start(device); // (not after it failed beyond its window: the disk comes back as the role changes)
        }
    }

    synchronized void unbindDevice(BlockDevice device, Map<String, Object> properties) {
        devices.remove(String.valueOf(properties.get(BlockDevice.NAME_PROPERTY)), device);
        if (device == disk) {
            logger.warn("Guest {}: disk {} is gone; the guest stops until it is back", settings.name(), settings.disk());
            stop();
            BlockDevice replacement = devices.get(settings.disk());
            if (replacement != null && context != null && stoppingForGood == null) {
                start(replacement); // bound before the old one went (the disk's role changed): it is back already
            }
        }
    }

    /** Recovers the data from the disk's log, listens, and offers the guest to the coordinator. */
    private void start(BlockDevice device) {
        try {
            // the last change of each key only: the log holds every change since its last compaction, which can be
            // many times the data (a key written a million times is one entry here, not a million)
            Map<String, Mutation> recovered = new HashMap<>();
            log = CommandLog.open(device, mutation -> recovered.put(mutation.key(), mutation));
            CommandLog.Position recoveredTo = log.position();
            if (reached != null && recoveredTo.isBefore(reached)) {
                // the disk lacks records this guest wrote, or loaded from its primary's checkpoint: a write it
                // acknowledged (or its primary did) is not on the disk it now serves from
                logger.error("Guest {}: disk {} holds its log up to {}, but the guest that ran before it on this node "
                        + "had reached {}: acknowledged writes are missing from the disk", settings.name(),
                        settings.disk(), recoveredTo, reached);
            }
            store = new KvStore(log, System::currentTimeMillis, settings.maxMemoryBytes(), settings.maxPendingWrites(),
                    settings.maxPendingBytes());
            recovered.values().forEach(store::replay);
            recovered.clear();
            KvServer started = new KvServer(settings.name(), store, new ServerOptions(settings.maxBulkBytes(), budget,
                    settings.debugCommands(), settings.watchdogMillis(), settings.ordering(),
                    settings.orderTimeoutMillis()), this::failed);
            server = started;
            InetSocketAddress endpoint = started.start(new InetSocketAddress(settings.listenAddress(),
                    settings.listenPort()));
            disk = device;
            guest = new KvGuest(settings, store, started, endpoint, this::orderLost);
            registration = context.registerService(ProtectedGuest.class, guest,
                    FrameworkUtil.asDictionary(Map.of(ProtectedGuest.NAME_PROPERTY, settings.name())));
            logger.info("Guest {}: {} keys ({} of {} bytes) recovered from disk {} (log generation {}); listening on {}",
                    settings.name(), store.size(), store.usedMemoryBytes(), settings.maxMemoryBytes(), settings.disk(),
                    log.generation(), endpoint);
        } catch (IOException e) {
            logger.error("Guest {}: cannot start on disk {} at {}:{}: {}", settings.name(), settings.disk(),
                    settings.listenAddress(), settings.listenPort(), e.toString());
            stop();
        }
    }

    private void stop() {
        ManagedBean.unregisterQuietly(registration);
        registration = null;
        if (guest != null) {
            guest.stopped();
            guest = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (log != null) {
            reached = log.position();
            log = null;
        }
        store = null;
        disk = null;
    }

    private void orderLost(String why) {
        ColoEvents.post(eventAdmin, new GuestOrderLost(EventSource.now(pairConfiguration), settings.name(), why));
    }

    /** The watchdog's look, on the supervisor thread: a hang is a failure; a change of refusing is an event. */
    private void watch() {
        KvServer watched;
        KvStore watchedStore;
        synchronized (this) {
            watched = server;
            watchedStore = store;
        }
        if (watched == null) {
            return;
        }
        watched.hang(System.nanoTime()).ifPresent(hang -> failed(watched, hang));
        boolean nowRefusing = watchedStore.refusing();
        if (nowRefusing != refusing) {
            refusing = nowRefusing;
            logger.warn("Guest {}: {} writes at its memory bound ({} of {} bytes used)", settings.name(),
                    nowRefusing ? "refusing" : "accepting again", watchedStore.usedMemoryBytes(),
                    settings.maxMemoryBytes());
            ColoEvents.post(eventAdmin, new GuestMemoryBound(EventSource.now(pairConfiguration), settings.name(),
                    nowRefusing, watchedStore.usedMemoryBytes(), settings.maxMemoryBytes()));
        }
    }

    /**
     * The guest cannot serve: reported, then restarted on the supervisor thread (never on the failing one, which
     * may be an I/O thread the restart waits for).
     */
    private void failed(KvServer failedServer, String problem) {
        try {
            supervisor.execute(() -> recover(failedServer, problem));
        } catch (RejectedExecutionException stopping) {
            logger.warn("Guest {}: {} while stopping", settings.name(), problem);
        }
    }

    private synchronized void recover(KvServer failedServer, String problem) {
        if (server != failedServer || failedServer == stoppingForGood) {
            return; // already restarted, stopped, or stopping
        }
        lastFailure = problem + " (" + Instant.now() + ")";
        health(health -> health.failed(component(), problem));
        if (!restartWindow.allow(System.currentTimeMillis())) {
            stopForGood(failedServer, problem);
            return;
        }
        logger.error("Guest {}: {}; restarting it from disk {}", settings.name(), problem, settings.disk());
        BlockDevice device = disk;
        stop();
        restarts++;
        start(device);
        if (server != null) {
            health(health -> health.recovered(component(), "restarted: " + store.size() + " keys recovered from disk "
                    + settings.disk()));
        }
    }

    /**
     * Beyond the restart window: a primary hands over to its secondary first, and the guest stops only then (it
     * stays registered meanwhile, so the proxy goes on holding what the secondary has not confirmed).
     */
    private void stopForGood(KvServer failedServer, String problem) {
        stoppingForGood = failedServer;
        logger.error("Guest {}: {}; restarted {} already, it stops until its bundle or the node is restarted (a "
                + "primary hands over to its secondary first)", settings.name(), problem, restartWindow.describe());
        HandOver primaryRole = handOver;
        CompletableFuture<String> handedOver = primaryRole == null
                ? CompletableFuture.completedFuture("no failover controller") : primaryRole.request(component(), problem);
        handedOver.whenComplete((outcome, failure) -> {
            try {
                supervisor.execute(() -> {
                    synchronized (this) {
                        if (server == failedServer) {
                            stop();
                        }
                    }
                    logger.error("Guest {}: stopped (hand-over: {})", settings.name(), outcome);
                });
            } catch (RejectedExecutionException deactivated) {
                logger.debug("Guest {}: deactivated before its hand-over ended", settings.name());
            }
        });
    }

    private String component() {
        return "guest " + settings.name();
    }

    private void health(Consumer<NodeHealth> report) {
        NodeHealth health = nodeHealth;
        if (health != null) {
            report.accept(health);
        }
    }

    @Override
    public String getGuestName() {
        return settings.name();
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized long getKeys() {
        return store == null ? 0 : store.size();
    }

    @Override
    public synchronized long getUsedMemoryBytes() {
        return store == null ? 0 : store.usedMemoryBytes();
    }

    @Override
    public long getMaxMemoryBytes() {
        return settings.maxMemoryBytes();
    }

    @Override
    public synchronized long getRefusedWrites() {
        return store == null ? 0 : store.refusedWrites();
    }

    @Override
    public long getMaxBulkBytes() {
        return settings.maxBulkBytes();
    }

    @Override
    public long getQueryBufferBytes() {
        return budget.heldBytes();
    }

    @Override
    public synchronized long getCommands() {
        return store == null ? 0 : store.commands();
    }

    @Override
    public synchronized long[] getLogBatchesBySize() {
        return store == null ? new long[0] : store.batchesBySize();
    }

    @Override
    public boolean isOrdering() {
        return settings.ordering();
    }

    @Override
    public boolean isOrderLeading() {
        return orderStats().leading();
    }

    @Override
    public boolean isOrderFollowing() {
        return orderStats().following();
    }

    @Override
    public long getOrderEntriesShipped() {
        return orderStats().entriesShipped();
    }

    @Override
    public long getOrderBytesShipped() {
        return orderStats().bytesShipped();
    }

    @Override
    public long getOrderEntriesApplied() {
        return orderStats().entriesApplied();
    }

    @Override
    public long getOrderEntriesWaiting() {
        return orderStats().entriesWaiting();
    }

    @Override
    public long getOrderBytesWaiting() {
        return orderStats().bytesWaiting();
    }

    @Override
    public long getOrderGiveUps() {
        return orderStats().gaveUp();
    }

    private synchronized ExecutionOrder.OrderStats orderStats() {
        return Optional.ofNullable(guest).flatMap(KvGuest::executionOrder).map(ExecutionOrder::stats)
                .orElse(new ExecutionOrder.OrderStats(false, false, 0, 0, 0, 0, 0, 0));
    }

    @Override
    public synchronized int getRestarts() {
        return restarts;
    }

    @Override
    public synchronized String getLastFailure() {
        return lastFailure;
    }
}
