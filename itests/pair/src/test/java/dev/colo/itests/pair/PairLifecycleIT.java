package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.HeartbeatMXBean;
import dev.colo.api.management.NodeMXBean;
import dev.colo.api.management.PeerLinkMXBean;
import dev.colo.itests.support.FailureDetection;
import dev.colo.itests.support.Intruders;
import dev.colo.itests.support.Keys;
import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.NodeMBean;
import dev.colo.itests.support.Processes;
import dev.colo.testing.ThisMachine;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local pair of the real distribution, end to end: {@code bin/colo pair up}, both nodes CONNECTED and
 * ALIVE over JMX, strangers refused on the peer-link port, kill -9 of the primary detected by the
 * secondary within heartbeat.timeout.ms × 1.2, {@code bin/colo pair down}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PairLifecycleIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectName NODE = objectName(NodeMXBean.OBJECT_NAME);

    private Path work;
    private LocalPair pair;
    private List<LocalPair.Node> nodes = List.of();

    @BeforeAll
    void pairUp() throws Exception {
        Path distribution = Distribution.orSkip("the pair lifecycle test");
        work = Distribution.work("lifecycle");

        pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT);
        nodes = pair.nodes();
        assertEquals("up", pair.state());
        assertEquals(List.of("primary", "secondary"), nodes.stream().map(LocalPair.Node::role).toList());
    }

    @AfterAll
    void pairDown() {
        if (pair != null) {
            LocalPair.Down down = pair.down();
            assertEquals(0, down.result().exit(), "bin/colo pair down failed:\n" + down.result().output());
            for (LocalPair.Node node : nodes) {
                assertFalse(down.survivors().contains(node.nodeId()), node.nodeId() + " still runs after pair down");
            }
        }
    }

    @Test
    @Order(1)
    void bothNodesReportPeerAliveAndLinkConnected() throws Exception {
        for (LocalPair.Node node : nodes) {
            try (JMXConnector connector = node.connectJmx()) {
                MBeanServerConnection mbeans = connector.getMBeanServerConnection();
                assertEquals(node.nodeId(), String.valueOf(mbeans.getAttribute(NODE, "NodeId")));
                assertEquals(node.role(), String.valueOf(mbeans.getAttribute(NODE, "Role")));
                assertEquals("ALIVE", String.valueOf(mbeans.getAttribute(NODE, "PeerHealth")), node.nodeId());
                assertEquals("CONNECTED", String.valueOf(mbeans.getAttribute(NODE, "LinkState")), node.nodeId());
            }
        }
        Processes.Result status = pair.colo(Duration.ofSeconds(60), "status.log", "status", "--dir",
                pair.dir().toString(), "--json");
        assertEquals(0, status.exit(), status.output());
        Map<String, Object> report = JSON.std.mapFrom(status.output().substring(status.output().indexOf('{')));
        for (Object item : (List<?>) report.get("nodes")) {
            assertEquals("CONNECTED", ((Map<?, ?>) item).get("linkState"), status.output());
            assertEquals("NONE", ((Map<?, ?>) item).get("failover"), "the Failover MXBean read: " + status.output());
            assertTrue(((Map<?, ?>) item).containsKey("checkpointEpoch"), "the Checkpoint MXBean read: "
                    + status.output());
        }
    }

    @Test
    @Order(2)
    void everyConcernHasItsMXBeanUnderOneNamingSchemeWithRecordsAsCompositeData() throws Exception {
        try (JMXConnector connector = pair.node("colo-a").connectJmx()) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            java.util.Set<String> names = new java.util.TreeSet<>();
            mbeans.queryNames(objectName("dev.colo:*"), null).forEach(name -> names.add(name.getCanonicalName()));
            for (String expected : List.of("dev.colo:type=Node", "dev.colo:type=PeerLink", "dev.colo:type=Heartbeat",
                    "dev.colo:type=Checkpoint", "dev.colo:type=Failover", "dev.colo:name=\"disk0\",type=Replication",
                    "dev.colo:name=\"kv\",type=Proxy", "dev.colo:name=\"scratch\",type=NbdExport")) {
                assertTrue(names.contains(objectName(expected).getCanonicalName()), expected + " in " + names);
            }
            for (String[] record : List.of(new String[] {"dev.colo:type=PeerLink", "Statistics"},
                    new String[] {"dev.colo:type=Heartbeat", "Statistics"},
                    new String[] {"dev.colo:type=Failover", "Reprotection"},
                    new String[] {"dev.colo:type=Checkpoint", "Counts"})) {
                Object value = mbeans.getAttribute(objectName(record[0]), record[1]);
                assertTrue(value instanceof javax.management.openmbean.CompositeData, record[0] + " " + record[1]
                        + " is " + value);
            }
            assertEquals("CONNECTED", mbeans.getAttribute(objectName(PeerLinkMXBean.OBJECT_NAME), "State"));
            assertEquals("ALIVE", mbeans.getAttribute(objectName(HeartbeatMXBean.OBJECT_NAME), "PeerHealth"));
        }
    }

    @Test
    @Order(3)
    void aViewerReadsButCannotActAnOperatorCheckpointsAndAWrongPasswordIsRefused() throws Exception {
        LocalPair.Node primary = pair.node("colo-a");
        // as the README tells operators to add users: a line each in etc/users.properties, read at every login
        Files.writeString(primary.home().resolve("etc/users.properties"), "\nwatcher = watch-pw-1,_g_:viewergroup\n"
                + "oncall = oncall-pw-1,_g_:operatorgroup\n", java.nio.file.StandardOpenOption.APPEND);
        ObjectName failover = objectName(FailoverMXBean.OBJECT_NAME);
        ObjectName checkpoints = objectName(CheckpointMXBean.OBJECT_NAME);
        try (JMXConnector viewer = firstLogin(primary, "watcher", "watch-pw-1")) {
            MBeanServerConnection mbeans = viewer.getMBeanServerConnection();
            assertEquals("NONE", String.valueOf(mbeans.getAttribute(failover, "State")), "a viewer reads");
            assertThrows(SecurityException.class,
                    () -> mbeans.invoke(failover, "failover", new Object[0], new String[0]), "a viewer cannot fail over");
            assertThrows(SecurityException.class,
                    () -> mbeans.invoke(checkpoints, "checkpointNow", new Object[0], new String[0]));
        }
        try (JMXConnector operator = firstLogin(primary, "oncall", "oncall-pw-1")) {
            MBeanServerConnection mbeans = operator.getMBeanServerConnection();
            Object answer = mbeans.invoke(checkpoints, "checkpointNow", new Object[0], new String[0]);
            assertTrue(answer instanceof String, "an operator checkpoints: " + answer);
            assertThrows(SecurityException.class, () -> mbeans.setAttribute(objectName("java.lang:type=Memory"),
                    new javax.management.Attribute("Verbose", true)), "but is no admin");
        }
        assertThrows(SecurityException.class, () -> primary.connectJmx("oncall", "not-the-password").close(),
                "a wrong password is refused");
    }

    @Test
    @Order(4)
    void theConsoleCommandsShowAndDoWhatTheMXBeansDo() throws Exception {
        LocalPair.Node primary = pair.node("colo-a");
        Processes.Result status = pair.console(primary, "colo:status", Duration.ofSeconds(60));
        assertEquals(0, status.exit(), status.output());
        assertTrue(status.output().contains("node colo-a  role primary  peer ALIVE  link CONNECTED  health OK"), status.output());
        assertTrue(status.output().contains("failover NONE"), status.output());
        Processes.Result disks = pair.console(primary, "colo:disks", Duration.ofSeconds(60));
        assertTrue(disks.output().contains("disk disk0  stage RUNNING"), disks.output());
        Path events = work.resolve("colo-events.log");
        Process follower = pair.consoleInBackground(primary, "colo:events --type dev.colo.checkpoint.completed",
                events);
        try {
            awaitLine(events, "Following", follower);
            Processes.Result checkpoint = pair.console(primary, "colo:checkpoint", Duration.ofSeconds(60));
            assertEquals(0, checkpoint.exit(), checkpoint.output());
            assertFalse(checkpoint.output().contains("Command not found"), checkpoint.output());
            String line = awaitLine(events, "reasons=OPERATOR", follower);
            assertTrue(line.contains(" dev.colo.checkpoint.completed dev.colo:type=Checkpoint "), line);
            assertTrue(line.matches(".* epoch=\\d+ .*"), line);
        } finally {
            follower.destroyForcibly();
        }
        Processes.Result script = pair.colo(Duration.ofSeconds(60), "checkpoint.log", "checkpoint", "--dir",
                pair.dir().toString(), "--json");
        assertEquals(0, script.exit(), script.output());
        Map<String, Object> answer = JSON.std.mapFrom(script.output().substring(script.output().indexOf('{')));
        assertEquals("colo-a", answer.get("node"), "the primary by default: " + script.output());
        assertEquals("checkpointNow", answer.get("operation"));
        Processes.Result failover = pair.console(primary, "colo:failover", Duration.ofSeconds(60));
        assertTrue(failover.output().contains("not a secondary") || failover.output().contains("refused"),
                "the primary refuses to fail over: " + failover.output());
    }

    @Test
    @Order(5)
    void jmxtermFromOutsideReadsAndInvokesOverTlsAndIsRefusedWithoutThePairsCa() throws Exception {
        Path jmxterm = Path.of(System.getProperty("colo.itest.jmxterm", "target/tools/jmxterm.jar"));
        assumeTrue(Files.isRegularFile(jmxterm), "jmxterm is not at " + jmxterm + " (maven-dependency-plugin copies it"
                + " in pre-integration-test); skipping the outside-client test");
        LocalPair.Node primary = pair.node("colo-a");
        NodeMBean checkpoints = NodeMBean.at(primary, CheckpointMXBean.OBJECT_NAME, "Epoch");
        long epochBefore = (Long) checkpoints.attribute("Epoch");
        Path script = Files.writeString(work.resolve("jmxterm.txt"), """
                open %s -u %s -p %s
                get -b %s Role PeerHealth
                run -b %s checkpointNow
                close
                """.formatted(primary.jmxServiceUrl(), primary.jmxUser(), primary.jmxPassword(),
                NodeMXBean.OBJECT_NAME, CheckpointMXBean.OBJECT_NAME));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        // as the README connects JConsole: the JSSE trust store options, and nothing of ours on the class path
        Processes.Result trusted = Processes.run(List.of(java, "-Djavax.net.ssl.trustStore=" + primary.jmxTrustStore(),
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Djavax.net.ssl.trustStorePassword=" + primary.jmxTrustStorePassword(), "-jar", jmxterm.toString(),
                "-n", "-v", "brief"), null, script, work.resolve("jmxterm-trusted.log"), Duration.ofSeconds(60));
        assertTrue(trusted.output().contains("Role = primary;"), trusted.output());
        assertTrue(trusted.output().contains("PeerHealth = ALIVE;"), trusted.output());
        assertTrue(trusted.output().contains("requested"), "checkpointNow answered: " + trusted.output());
        checkpoints.await("past epoch " + epochBefore + " (the checkpoint jmxterm asked for)",
                bean -> (Long) bean.unchecked("Epoch") > epochBefore, Duration.ofSeconds(30));
        checkpoints.close();

        Processes.Result untrusted = Processes.run(List.of(java, "-jar", jmxterm.toString(), "-n", "-v", "brief"), null,
                script, work.resolve("jmxterm-untrusted.log"), Duration.ofSeconds(60));
        assertTrue(untrusted.output().contains("SSLHandshakeException"), untrusted.output());
        assertFalse(untrusted.output().contains("Role ="), "nothing read without trusting the node: "
                + untrusted.output());
    }

    /** The first line of {@code log} containing {@code text}, waiting up to 60 s while {@code writer} runs. */
    private static String awaitLine(Path log, String text, Process writer) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = Files.readAllLines(log).stream().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (!writer.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line with '" + text + "' in " + log + ":\n" + Files.readString(log));
    }

    /**
     * The first JMX login of a user just added with a plain password: refused once in 1 run of 3 here (Karaf
     * rewrites users.properties to store digests; the cause is not pinned down), so it is tried twice, as the
     * README tells operators. A second refusal fails the test.
     */
    private static JMXConnector firstLogin(LocalPair.Node node, String user, String password) throws Exception {
        try {
            return node.connectJmx(user, password);
        } catch (SecurityException firstOnly) {
            System.out.println("[PairLifecycleIT] first login of " + user + " refused (" + firstOnly.getMessage()
                    + "); logging in again");
            return node.connectJmx(user, password);
        }
    }

    @Test
    @Order(6)
    void tlsClientWithoutATrustedCertificateIsRefused() throws Exception {
        String password = "intruder-pw";
        Path keyStore = Keys.untrustedKeyStore(work.resolve("intruder"), "colo-b", password);
        SSLContext context = Intruders.tlsContext(keyStore, password);
        everyNodeRefuses("untrusted TLS client", (address, client) -> Intruders.tlsClient(context, address,
                REFUSAL_TIMEOUT, client));
    }

    @Test
    @Order(7)
    void plaintextClientIsRefused() throws Exception {
        everyNodeRefuses("plaintext client", (address, client) -> Intruders.plaintextClient(address, REFUSAL_TIMEOUT,
                client));
    }

    @Test
    @Order(8)
    void eachNodesScratchExportServesStandardNbdClients() throws Exception {
        assumeTrue(ThisMachine.hasTool("qemu-io") && ThisMachine.hasTool("nbdinfo"),
                "qemu-io or nbdinfo is not installed (apt-get install qemu-utils libnbd-bin): skipping the NBD check");
        for (LocalPair.Node node : nodes) {
            Processes.Result size = Processes.run(List.of("nbdinfo", "--size", node.nbdUri()), null,
                    work.resolve("nbdinfo-" + node.nodeId() + ".log"), Duration.ofSeconds(30));
            assertEquals(0, size.exit(), size.output());
            assertEquals(1L << 30, Long.parseLong(size.output().strip()), node.nbdUri());

            Processes.Result io = Processes.run(List.of("qemu-io", "-f", "raw", node.nbdUri(),
                    "-c", "write -P 0x5a 1048575 4097", "-c", "read -P 0x5a 1048575 4097", "-c", "read -P 0 0 4096"),
                    null, work.resolve("qemu-io-" + node.nodeId() + ".log"), Duration.ofSeconds(60));
            assertEquals(0, io.exit(), io.output());
            assertFalse(io.output().contains("Pattern verification failed"), io.output());
        }
    }

    @Test
    @Order(9)
    void secondaryDeclaresKilledPrimaryDeadWithinTheHeartbeatTimeout() throws Exception {
        LocalPair.Node primary = nodes.get(0);
        LocalPair.Node secondary = nodes.get(1);

        FailureDetection.Detection detection = FailureDetection.killAndWatch(primary, secondary, work.resolve("kill.log"));

        long limitMs = detection.timeoutMillis() * 12 / 10;
        String measured = "secondary " + secondary.nodeId() + " after kill -9 of the primary: " + detection
                + "; limit " + limitMs + " ms";
        System.out.println("[PairLifecycleIT] " + measured);
        Files.writeString(work.resolve("failure-detection.txt"), measured + "\n");
        assertTrue(detection.seenDead(), "the secondary never reported the killed primary DEAD: " + measured);
        assertTrue(detection.deadMillis() <= limitMs, measured);
        assertTrue(primary.gone(Duration.ofSeconds(10)), "primary pid " + primary.pid() + " survived kill -9");
    }

    /** One of {@link Intruders}' clients, as {@code client}, against {@code address}. */
    private interface Intruder {
        Intruders.Refusal attempt(InetSocketAddress address, String client) throws Exception;
    }

    /** The intruder against the peer-link port of each node: each must refuse it (else the intruder fails). */
    private void everyNodeRefuses(String client, Intruder intruder) throws Exception {
        for (LocalPair.Node node : nodes) {
            Intruders.Refusal refusal = intruder.attempt(peerLink(node), client + " to " + node.nodeId());
            System.out.println("[PairLifecycleIT] " + client + " to " + node.nodeId() + ":" + node.peerLinkPort()
                    + " -> " + refusal.outcome());
        }
    }


    private static InetSocketAddress peerLink(LocalPair.Node node) {
        return new InetSocketAddress("127.0.0.1", node.peerLinkPort());
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
