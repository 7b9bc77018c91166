package dev.colo.mqtt.internal.client;

import dev.colo.mqtt.internal.backlog.Backlog;
import dev.colo.mqtt.internal.config.MqttSettings;
import dev.colo.mqtt.internal.message.Envelopes;
import dev.colo.mqtt.internal.message.Outbound;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one node's messages to its broker, on a thread of its own, free of OSGi. At every connection it first
 * publishes its birth: the status {@code online} and every retained snapshot; then the events of the backlog, oldest
 * first, each removed only once the broker acknowledged it (QoS 1). The last will, set at connection, is the status
 * {@code lost} of the same session; a clean stop publishes {@code offline} first. Connection attempts back off
 * (doubling, up to the configured maximum) while no broker answers.
 */
public final class Publisher implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(Publisher.class);
    private static final int QOS = 1;
    private static final long ACK_TIMEOUT_MS = 10_000;
    private static final long STOP_TIMEOUT_MS = 2_000;
    private static final long FIRST_RETRY_MS = 100;

    private final MqttSettings settings;
    private final String clientId;
    private final Envelopes envelopes;
    private final Backlog backlog;
    private final SocketFactory sockets;
    private final String trustDescription;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    /** The latest retained snapshot per topic, republished at every connection. */
    private final Map<String, Outbound> retained = new LinkedHashMap<>();
    /** Snapshots changed since they were last published. */
    private final Map<String, Outbound> changed = new LinkedHashMap<>();
    private final AtomicReference<ConnectionState> state = new AtomicReference<>(ConnectionState.CONNECTING);
    private final AtomicReference<String> lastError = new AtomicReference<>("");
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;
    private final long ackTimeoutMillis;
    private MqttAsyncClient client;
    private String connectedTo = "";

    /**
     * @param sockets          for {@code ssl://} brokers; null when none is
     * @param trustDescription which trust store {@code sockets} trusts, for error messages
     */
    public Publisher(MqttSettings settings, String clientId, Envelopes envelopes, Backlog backlog,
            SocketFactory sockets, String trustDescription) {
        this(settings, clientId, envelopes, backlog, sockets, trustDescription, ACK_TIMEOUT_MS);
    }

    /** @param ackTimeoutMillis how long a publication waits for the broker's acknowledgement */
    Publisher(MqttSettings settings, String clientId, Envelopes envelopes, Backlog backlog, SocketFactory sockets,
            String trustDescription, long ackTimeoutMillis) {
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.settings = settings;
        this.clientId = clientId;
        this.envelopes = envelopes;
        this.backlog = backlog;
        this.sockets = sockets;
        this.trustDescription = trustDescription;
        this.thread = new Thread(this::run, "colo-mqtt-publisher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Keeps {@code events} in the backlog (durably, before this returns) and the snapshots for publication. */
    public void submit(List<Outbound> events, List<Outbound> snapshots) throws IOException {
        for (Outbound event : events) {
            backlog.append(event);
        }
        lock.lock();
        try {
            for (Outbound snapshot : snapshots) {
                if (snapshot.payload().length == 0) {
                    retained.remove(snapshot.topic());
                } else {
                    retained.put(snapshot.topic(), snapshot);
                }
                changed.put(snapshot.topic(), snapshot);
            }
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public ConnectionState state() {
        return state.get();
    }

    /** The broker connected to, or the configured list while not connected. */
    public String serverUris() {
        return state.get() == ConnectionState.CONNECTED ? connectedTo : String.join(",", settings.brokerUrls());
    }

    public long published() {
        return published.get();
    }

    public String lastError() {
        return lastError.get();
    }

    private void run() {
        long retryMillis = FIRST_RETRY_MS;
        while (!stopping) {
            try {
                if (client == null || !client.isConnected()) {
                    state.set(ConnectionState.CONNECTING);
                    connect();
                    birth();
                    state.set(ConnectionState.CONNECTED);
                    lastError.set("");
                    retryMillis = FIRST_RETRY_MS;
                    logger.info("MQTT: connected to {} as {} (session {})", connectedTo, clientId, envelopes.session());
                }
                if (!publishChanges() && !publishOldestEvent()) {
                    awaitWork(1_000);
                }
            } catch (MqttException | IOException | RuntimeException e) {
                disconnected(e);
                // a new connection even if this one looks alive: a broker that did not acknowledge in time (frozen,
                // overloaded) leaves the publication in flight, and Paho refuses every one after ten of them
                closeClient();
                if (!pause(retryMillis)) {
                    break;
                }
                retryMillis = Math.min(settings.reconnectMaxMillis(), retryMillis * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        goOffline();
    }

    /** Waits before the next attempt; false when interrupted. */
    private boolean pause(long millis) {
        try {
            awaitWork(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void connect() throws MqttException {
        closeClient();
        MqttConnectOptions options = new MqttConnectOptions();
        options.setServerURIs(settings.brokerUrls().toArray(String[]::new));
        options.setCleanSession(true);
        options.setAutomaticReconnect(false); // this thread reconnects, also when the first attempt fails
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout(Math.max(1, settings.keepAliveSeconds()));
        options.setMaxInflight(10);
        Outbound will = envelopes.status(Envelopes.LOST);
        options.setWill(will.topic(), will.payload(), QOS, true);
        if (!settings.username().isEmpty()) {
            options.setUserName(settings.username());
            options.setPassword(settings.password());
        }
        if (sockets != null) {
            options.setSocketFactory(sockets);
            options.setHttpsHostnameVerificationEnabled(true);
        }
        client = new MqttAsyncClient(settings.brokerUrls().get(0), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                logger.warn("MQTT: connection to {} lost: {}", connectedTo, cause == null ? "?" : cause.toString());
                wake();
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // a publisher subscribes to nothing
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // each publication waits for its own token
            }
        });
        client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(settings.keepAliveSeconds()) + 5_000);
        connectedTo = client.getCurrentServerURI();
    }

    /** The status online and every retained snapshot; then whatever was dropped at the backlog's bound. */
    private void birth() throws MqttException, IOException {
        publish(envelopes.status(Envelopes.ONLINE));
        List<Outbound> snapshots;
        lock.lock();
        try {
            snapshots = new ArrayList<>(retained.values());
            changed.clear();
        } finally {
            lock.unlock();
        }
        for (Outbound snapshot : snapshots) {
            publish(snapshot);
        }
        long drops = backlog.unreportedDrops();
        if (drops > 0) {
            // before the events that follow the gap
            publish(envelopes.event("event/mqtt/backlog-dropped", "mqtt.backlog-dropped", Map.of("dropped", drops,
                    "droppedTotal", backlog.dropped(), "backlogLimit", backlog.limit())));
            backlog.reported(drops);
        }
    }

    private boolean publishChanges() throws MqttException {
        List<Outbound> snapshots;
        lock.lock();
        try {
            snapshots = new ArrayList<>(changed.values());
            changed.clear();
        } finally {
            lock.unlock();
        }
        try {
            for (Outbound snapshot : snapshots) {
                publish(snapshot);
            }
        } catch (MqttException e) {
            lock.lock();
            try {
                snapshots.forEach(snapshot -> changed.putIfAbsent(snapshot.topic(), snapshot)); // the birth has them
            } finally {
                lock.unlock();
            }
            throw e;
        }
        return !snapshots.isEmpty();
    }

    private boolean publishOldestEvent() throws MqttException, IOException {
        Optional<Backlog.Entry> oldest = backlog.oldest();
        if (oldest.isEmpty()) {
            return false;
        }
        publish(oldest.get().message());
        backlog.remove(oldest.get());
        return true;
    }

    private void publish(Outbound message) throws MqttException {
        client.publish(message.topic(), message.payload(), QOS, message.retained()).waitForCompletion(ackTimeoutMillis);
        published.incrementAndGet();
    }

    private void disconnected(Exception e) {
        state.set(ConnectionState.DISCONNECTED);
        String error = BrokerErrors.describe(e, settings.brokerUrls(), trustDescription);
        if (!error.equals(lastError.getAndSet(error))) {
            logger.error("MQTT: {} (events are kept, {} now; retrying)", error, backlog.size());
        }
    }

    private void awaitWork(long millis) throws InterruptedException {
        lock.lock();
        try {
            if (!stopping && changed.isEmpty()) {
                work.await(millis, TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        lock.lock();
        try {
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A clean stop: the status offline first (retained), then a disconnection, which sends no last will. */
    private void goOffline() {
        if (client != null && client.isConnected()) {
            try {
                client.publish(envelopes.statusTopic(), envelopes.status(Envelopes.OFFLINE).payload(), QOS, true)
                        .waitForCompletion(STOP_TIMEOUT_MS);
                client.disconnect(STOP_TIMEOUT_MS).waitForCompletion(STOP_TIMEOUT_MS);
            } catch (MqttException e) {
                logger.warn("MQTT: status offline not published: {}", e.toString());
            }
        }
        closeClient();
    }

    private void closeClient() {
        if (client != null) {
            try {
                if (client.isConnected()) {
                    client.disconnectForcibly(0, 0, false);
                }
                client.close(true);
            } catch (MqttException e) {
                logger.debug("MQTT: closing the client: {}", e.toString());
            }
            client = null;
        }
    }

    @Override
    public void close() {
        stopping = true;
        wake();
        try {
            thread.join(STOP_TIMEOUT_MS * 3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
