package dev.colo.mqtt.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.mqtt.internal.backlog.Backlog;
import dev.colo.mqtt.internal.config.MqttSettings;
import dev.colo.mqtt.internal.message.Envelopes;
import dev.colo.mqtt.internal.message.Outbound;
import dev.colo.mqtt.internal.message.Publication;
import dev.colo.testing.BrokerCertificates;
import dev.colo.testing.Mosquitto;
import dev.colo.testing.TestPki;
import dev.colo.testing.ThisMachine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The publisher against a real Mosquitto, watched by a real MQTT subscriber (Paho). */
class PublisherMosquittoTest {
    private static final long TIMEOUT_SECONDS = 20;

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();

    /** A message as a subscriber received it: topic, retained flag, envelope. */
    record Received(String topic, boolean retained, Map<String, Object> envelope) {
        Object data(String key) {
            return ((Map<?, ?>) envelope.get("data")).get(key);
        }
    }

    @BeforeEach
    void needsMosquitto() {
        assumeTrue(Mosquitto.available(), "mosquitto is not installed (Debian: apt-get install mosquitto); skipping"
                + " the publisher's tests against a real broker");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    @Test
    void publishesItsStatusOnlineThenItsEventsInOrderAndOfflineWhenStopped() throws Exception {
        Mosquitto broker = broker(null);
        BlockingQueue<Received> received = subscribe(broker, "colo/v1/#", "watcher", true);
        Envelopes envelopes = envelopes(1);
        Publisher publisher = publisher(broker.url(), envelopes, Backlog.open(dir.resolve("backlog"), 100), null);
        publisher.start();

        Received status = next(received, "colo/v1/colo-a/status");
        assertEquals("online", status.data("status"));
        long seq = ((Number) status.envelope().get("seq")).longValue();
        publisher.submit(events(envelopes, 3), List.of());
        for (int i = 1; i <= 3; i++) {
            Received event = next(received, "colo/v1/colo-a/event/test/n");
            assertEquals(i, event.data("n"), "in order");
            long next = ((Number) event.envelope().get("seq")).longValue();
            assertTrue(next > seq, "sequence numbers increase: " + next + " after " + seq);
            seq = next;
        }
        await(() -> publisher.state() == ConnectionState.CONNECTED, "connected");

        publisher.close();
        assertEquals("offline", next(received, "colo/v1/colo-a/status").data("status"));
    }

    @Test
    void eventsRaisedWhileTheBrokerIsDownArriveInOrderAfterItRestarts() throws Exception {
        Mosquitto broker = broker(null);
        // a durable subscription: the broker keeps what arrives for it while it is away
        subscribe(broker, "colo/v1/colo-a/event/#", "durable-watcher", false).clear();
        Envelopes envelopes = envelopes(2);
        Backlog backlog = Backlog.open(dir.resolve("backlog"), 100);
        Publisher publisher = publisher(broker.url(), envelopes, backlog, null);
        publisher.start();
        await(() -> publisher.state() == ConnectionState.CONNECTED, "connected");

        broker.stop();
        await(() -> publisher.state() != ConnectionState.CONNECTED, "seeing the broker gone");
        List<Outbound> whileDown = events(envelopes, 5);
        publisher.submit(whileDown, List.of());
        assertEquals(5, backlog.size(), "kept while the broker is away");
        broker.start();

        BlockingQueue<Received> received = subscribe(broker, "colo/v1/colo-a/event/#", "durable-watcher", false);
        long lastSeq = 0;
        for (int i = 1; i <= 5; i++) {
            Received event = next(received, "colo/v1/colo-a/event/test/n");
            assertEquals(i, event.data("n"), "in the order they were raised");
            long seq = ((Number) event.envelope().get("seq")).longValue();
            assertTrue(seq > lastSeq, "sequence numbers increase: " + seq + " after " + lastSeq);
            lastSeq = seq;
        }
        await(() -> backlog.size() == 0, "the backlog emptied");
    }

    @Test
    void aBrokerFrozenBeyondTheAcknowledgementTimeoutIsLeftAndEveryEventArrivesAfterItThaws() throws Exception {
        Mosquitto broker = broker(null);
        BlockingQueue<Received> received = subscribe(broker, "colo/v1/colo-a/event/#", "watcher", true);
        Envelopes envelopes = envelopes(3);
        Backlog backlog = Backlog.open(dir.resolve("backlog"), 100);
        // a keep-alive far beyond the freeze: only the acknowledgement timeout can see the broker hang
        Publisher publisher = publisher(broker.url(), envelopes, backlog, null, "60", 300);
        publisher.start();
        await(() -> publisher.state() == ConnectionState.CONNECTED, "connected");

        broker.freeze();
        try {
            publisher.submit(events(envelopes, 12), List.of()); // more than Paho's ten publications in flight
            await(() -> publisher.state() != ConnectionState.CONNECTED, "seeing the broker hang");
            Thread.sleep(2_000);
        } finally {
            broker.thaw();
        }
        await(() -> publisher.state() == ConnectionState.CONNECTED, "connected again");
        await(() -> backlog.size() == 0, "the backlog emptied");
        Map<Object, Integer> seen = new HashMap<>();
        while (seen.size() < 12) {
            seen.merge(next(received, "colo/v1/colo-a/event/test/n").data("n"), 1, Integer::sum);
        }
        assertEquals(12, seen.size(), "every event, some perhaps twice (QoS 1): " + seen);
    }

    @Test
    void beyondTheBoundTheOldestEventsAreDroppedAndTheGapIsPublishedBeforeTheRest() throws Exception {
        Mosquitto broker = broker(null);
        subscribe(broker, "colo/v1/colo-a/event/#", "gap-watcher", false).clear();
        Envelopes envelopes = envelopes(5);
        Backlog backlog = Backlog.open(dir.resolve("backlog"), 2);
        Publisher publisher = publisher(broker.url(), envelopes, backlog, null);
        publisher.start();
        await(() -> publisher.state() == ConnectionState.CONNECTED, "connected");
        broker.stop();
        await(() -> publisher.state() != ConnectionState.CONNECTED, "seeing the broker gone");

        publisher.submit(events(envelopes, 5), List.of());
        broker.start();

        BlockingQueue<Received> received = subscribe(broker, "colo/v1/colo-a/event/#", "gap-watcher", false);
        Received gap = next(received, "colo/v1/colo-a/event/mqtt/backlog-dropped");
        assertEquals(List.of(3, 3, 2), List.of(gap.data("dropped"), gap.data("droppedTotal"), gap.data("backlogLimit")));
        assertEquals(4, next(received, "colo/v1/colo-a/event/test/n").data("n"), "the newest are kept");
        assertEquals(5, next(received, "colo/v1/colo-a/event/test/n").data("n"));
        assertEquals(0, backlog.unreportedDrops());
    }

    @Test
    void theNextBrokerOfTheListIsUsedWhenTheFirstDoesNotAnswer() throws Exception {
        Mosquitto broker = broker(null);
        String deadFirst = "tcp://127.0.0.1:" + ThisMachine.freePort() + "," + broker.url();
        Publisher publisher = publisher(deadFirst, envelopes(6), Backlog.open(dir.resolve("backlog"), 10), null);
        publisher.start();
        await(() -> publisher.state() == ConnectionState.CONNECTED, "connected");
        assertEquals(broker.url(), publisher.serverUris());
    }

    @Test
    void overTlsABrokerSignedByTheTrustedCaIsUsedAndAnotherIsRefusedWithAClearError() throws Exception {
        assumeTrue(BrokerCertificates.available(), "openssl is not installed; skipping the TLS test");
        BrokerCertificates certificates = BrokerCertificates.create(dir.resolve("pki"));
        Mosquitto broker = broker(certificates);
        MqttSettings.TrustStore brokerCa = new MqttSettings.TrustStore(certificates.trustStore(),
                TestPki.PASSWORD.toCharArray());

        Publisher trusting = publisher(broker.url(), envelopes(3), Backlog.open(dir.resolve("b1"), 10), brokerCa);
        trusting.start();
        await(() -> trusting.state() == ConnectionState.CONNECTED, "connected over TLS");

        MqttSettings.TrustStore otherCa = new MqttSettings.TrustStore(TestPki.shared().trustStore(),
                TestPki.PASSWORD.toCharArray());
        Publisher refusing = publisher(broker.url(), envelopes(4), Backlog.open(dir.resolve("b2"), 10), otherCa);
        refusing.start();
        await(() -> refusing.lastError().contains("certificate is not trusted"), "a clear error, was: "
                + refusing.lastError());
        assertTrue(refusing.lastError().contains(TestPki.shared().trustStore().toString()), refusing.lastError());
        assertEquals(ConnectionState.DISCONNECTED, refusing.state());
    }

    private Mosquitto broker(BrokerCertificates tls) throws Exception {
        Mosquitto broker = Mosquitto.start(dir.resolve("mosquitto"), ThisMachine.freePort(), tls);
        closing.add(broker);
        return broker;
    }

    private Envelopes envelopes(long session) {
        return new Envelopes("colo/v1", "colo-a", session, () -> "primary", Clock.systemUTC());
    }

    private Publisher publisher(String url, Envelopes envelopes, Backlog backlog, MqttSettings.TrustStore trust)
            throws Exception {
        return publisher(url, envelopes, backlog, trust, "2", 10_000);
    }

    private Publisher publisher(String url, Envelopes envelopes, Backlog backlog, MqttSettings.TrustStore trust,
            String keepAliveSeconds, long ackTimeoutMillis) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of(MqttSettings.BROKER_URLS, url,
                MqttSettings.RECONNECT_MAX_MS, "500", MqttSettings.KEEPALIVE_SECONDS, keepAliveSeconds));
        MqttSettings settings = MqttSettings.parse(config);
        Publisher publisher = new Publisher(settings, "colo-a-" + envelopes.session(), envelopes, backlog,
                trust == null ? null : TlsSockets.trusting(trust), trust == null ? "(none)" : trust.path().toString(),
                ackTimeoutMillis);
        closing.add(publisher);
        return publisher;
    }

    private static List<Outbound> events(Envelopes envelopes, int count) {
        List<Outbound> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(envelopes.of(Publication.event("event/test/n", "test.n", Map.of("n", i)), Map.of()));
        }
        return events;
    }

    private BlockingQueue<Received> subscribe(Mosquitto broker, String filter, String clientId, boolean clean)
            throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        MqttClient client = new MqttClient(broker.url(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(clean);
        client.connect(options);
        client.subscribe(filter, 1, (topic, message) -> received.add(new Received(topic, message.isRetained(),
                JSON.std.mapFrom(message.getPayload()))));
        closing.add(() -> {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        });
        return received;
    }

    private static Received next(BlockingQueue<Received> received, String topic) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        List<String> others = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Received message = received.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && message.topic().equals(topic)) {
                return message;
            }
            if (message != null) {
                others.add(message.topic());
            }
        }
        throw new AssertionError("nothing on " + topic + " within " + TIMEOUT_SECONDS + " s; received " + others);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(20);
        }
    }
}
