package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.MqttMXBean;
import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.NodeMBean;
import dev.colo.testing.Mosquitto;
import dev.colo.testing.ThisMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pair's events over MQTT, through a real Mosquitto ({@code bin/colo pair up --mqtt-url}), watched by real
 * subscribers: retained status, events kept while the broker is away, the broker's own report of a node killed,
 * a failover's events in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MqttIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Mosquitto broker;
    private LocalPair pair;
    private final List<MqttClient> subscribers = new ArrayList<>();

    /** A message as a subscriber received it. */
    record Received(String topic, boolean retained, Map<String, Object> envelope) {
        Object data(String key) {
            return ((Map<?, ?>) envelope.get("data")).get(key);
        }

        long seq() {
            return ((Number) envelope.get("seq")).longValue();
        }
    }

    @BeforeAll
    void pairUpWithMosquitto() throws Exception {
        assumeTrue(Mosquitto.available(), "mosquitto is not installed (Debian: apt-get install mosquitto); skipping"
                + " the MQTT tests");
        Path distribution = Distribution.orSkip("the MQTT tests");
        Path work = Distribution.work("mqtt");
        broker = Mosquitto.start(work.resolve("mosquitto"), ThisMachine.freePort(), null);
        pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT, "--mqtt-url", broker.url());
    }

    @AfterAll
    void pairDown() throws Exception {
        for (MqttClient subscriber : subscribers) {
            if (subscriber.isConnected()) {
                subscriber.disconnectForcibly(1000);
            }
            subscriber.close();
        }
        if (pair != null) {
            pair.down();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    @Order(1)
    void aNewSubscriberGetsEachNodesRetainedStatusOnlineWithItsRoleAndSession() throws Exception {
        BlockingQueue<Received> received = subscribe("colo/v1/+/status", "status-reader", true);
        Map<String, Received> statuses = new HashMap<>();
        while (statuses.size() < 2) { // in either order
            Received status = next(received, r -> true, "both nodes' status; have " + statuses.keySet());
            statuses.put(String.valueOf(status.envelope().get("node")), status);
        }
        for (Map.Entry<String, Received> status : statuses.entrySet()) {
            assertTrue(status.getValue().retained(), "retained: " + status.getValue());
            assertEquals("online", status.getValue().data("status"));
            assertEquals("colo.mqtt.v1", status.getValue().envelope().get("schema"));
            assertEquals(status.getKey(), status.getValue().envelope().get("node"));
            assertTrue(((Number) status.getValue().envelope().get("session")).longValue() >= 1);
        }
        assertEquals("primary", statuses.get("colo-a").envelope().get("role"));
        assertEquals("secondary", statuses.get("colo-b").envelope().get("role"));
        try (NodeMBean mqtt = NodeMBean.at(pair.node("colo-a"), MqttMXBean.OBJECT_NAME, "ConnectionState")) {
            assertEquals("CONNECTED", mqtt.attribute("ConnectionState"));
            assertEquals(broker.url(), mqtt.attribute("ServerUris"));
        }
    }

    @Test
    @Order(2)
    void checkpointsRaisedWhileTheBrokerIsStoppedArriveInOrderAfterItRestarts() throws Exception {
        // a durable subscription: the broker keeps for it what arrives while it is away
        subscribe("colo/v1/colo-a/event/checkpoint/completed", "durable-reader", false);
        LocalPair.Node primary = pair.node("colo-a");
        broker.stop();
        try (NodeMBean mqtt = NodeMBean.at(primary, MqttMXBean.OBJECT_NAME, "ConnectionState");
                NodeMBean checkpoints = NodeMBean.at(primary, CheckpointMXBean.OBJECT_NAME, "Epoch")) {
            mqtt.await("disconnected", bean -> !"CONNECTED".equals(bean.unchecked("ConnectionState")), TIMEOUT);
            for (int i = 0; i < 3; i++) {
                long epoch = (Long) checkpoints.attribute("Epoch");
                checkpoints.invoke("checkpointNow");
                checkpoints.await("past epoch " + epoch, bean -> (Long) bean.unchecked("Epoch") > epoch, TIMEOUT);
            }
            assertTrue((Long) mqtt.attribute("BacklogEvents") >= 3, "kept: " + mqtt.attribute("BacklogEvents"));

            broker.start();
            BlockingQueue<Received> received = subscribe("colo/v1/colo-a/event/checkpoint/completed",
                    "durable-reader", false);
            int operatorCheckpoints = 0;
            long lastSeq = 0;
            while (operatorCheckpoints < 3) {
                Received completed = next(received, r -> true, "the checkpoints raised while the broker was away");
                assertTrue(completed.seq() > lastSeq, "in order: seq " + completed.seq() + " after " + lastSeq);
                lastSeq = completed.seq();
                operatorCheckpoints += String.valueOf(completed.data("reasons")).contains("OPERATOR") ? 1 : 0;
            }
            mqtt.await("the backlog delivered", bean -> (Long) bean.unchecked("BacklogEvents") == 0, TIMEOUT);
        }
    }

    @Test
    @Order(3)
    void aKilledPrimaryIsReportedLostByTheBrokerAndTheFailoverIsStartedThenCompleted() throws Exception {
        BlockingQueue<Received> received = subscribe("colo/v1/#", "failover-reader", true);
        Received online = next(received, r -> r.topic().equals("colo/v1/colo-a/status"), "colo-a's status");
        LocalPair.kill(pair.node("colo-a"));

        Received lost = next(received, r -> r.topic().equals("colo/v1/colo-a/status") && !r.retained(),
                "colo-a's last will");
        assertEquals("lost", lost.data("status"));
        assertEquals(online.envelope().get("session"), lost.envelope().get("session"), "the same session");
        Received started = next(received, r -> r.topic().equals("colo/v1/colo-b/event/failover/started"),
                "the failover started");
        Received completed = next(received, r -> r.topic().equals("colo/v1/colo-b/event/failover/completed"),
                "the failover completed");
        assertTrue(completed.seq() > started.seq(), started.seq() + " then " + completed.seq());
        assertEquals("primary", completed.envelope().get("role"));
    }

    private BlockingQueue<Received> subscribe(String filter, String clientId, boolean clean) throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        MqttClient client = new MqttClient(broker.url(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(clean);
        // set before connecting: a durable session's queued messages arrive as soon as it connects
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                // the tests stop the broker on purpose
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws Exception {
                received.add(new Received(topic, message.isRetained(), message.getPayload().length == 0 ? Map.of()
                        : JSON.std.mapFrom(message.getPayload())));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // subscribers publish nothing
            }
        });
        client.connect(options);
        client.subscribe(filter, 1);
        subscribers.add(client);
        return received;
    }

    private static Received next(BlockingQueue<Received> received, Predicate<Received> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> others = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Received message = received.poll(100, TimeUnit.MILLISECONDS);
            if (message != null && wanted.test(message)) {
                return message;
            }
            if (message != null) {
                others.add(message.topic());
            }
        }
        throw new AssertionError("no " + what + " within " + TIMEOUT.toSeconds() + " s; received " + others);
    }
}
