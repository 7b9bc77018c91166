package dev.colo.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.api.management.NodeMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
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
    private static final Duration PAIR_DOWN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectName NODE = objectName(NodeMXBean.OBJECT_NAME);

    /** One node as pair.json describes it. */
    record PairNode(String nodeId, String role, long pid, Path home, String jmxServiceUrl, String jmxUser,
                    String jmxPassword, int peerLinkPort) {
    }

    private Path distribution;
    private Path work;
    private Path pairDir;
    private final List<PairNode> nodes = new ArrayList<>();

    @BeforeAll
    void pairUp() throws Exception {
        String home = System.getProperty("colo.distribution.home", "");
        distribution = Path.of(home).toAbsolutePath();
        assumeTrue(!home.isBlank() && Files.isRegularFile(distribution.resolve("bin/colo")),
                "The distribution is not unpacked at '" + home + "' (-Dcolo.distribution.home): build and install"
                        + " distribution/ first (target/dev.colo.distribution-*.tar.gz); skipping the pair lifecycle test");
        work = Path.of(System.getProperty("colo.itest.work", "target/it-work")).toAbsolutePath();
        deleteTree(work);
        Files.createDirectories(work);
        pairDir = work.resolve("pair");

        ProcessResult up = colo(PAIR_UP_TIMEOUT, "pair", "up", "--dir", pairDir.toString());
        assertEquals(0, up.exit(), "bin/colo pair up failed:\n" + up.output());

        Map<String, Object> pair = JSON.std.mapFrom(Files.readString(pairDir.resolve("pair.json")));
        assertEquals("up", pair.get("state"));
        for (Object item : (List<?>) pair.get("nodes")) {
            Map<?, ?> n = (Map<?, ?>) item;
            nodes.add(new PairNode((String) n.get("nodeId"), (String) n.get("role"), ((Number) n.get("pid")).longValue(),
                    Path.of((String) n.get("home")), (String) n.get("jmxServiceUrl"), (String) n.get("jmxUser"),
                    (String) n.get("jmxPassword"), ((Number) n.get("peerLinkPort")).intValue()));
        }
        assertEquals(List.of("primary", "secondary"), nodes.stream().map(PairNode::role).toList());
    }

    @AfterAll
    void pairDown() throws Exception {
        if (pairDir != null && Files.exists(pairDir.resolve("pair.json"))) {
            ProcessResult down = colo(PAIR_DOWN_TIMEOUT, "pair", "down", "--dir", pairDir.toString());
            assertEquals(0, down.exit(), "bin/colo pair down failed:\n" + down.output());
            for (PairNode node : nodes) {
                assertTrue(gone(node.pid(), Duration.ofSeconds(10)), node.nodeId() + " still runs after pair down");
            }
        }
    }

    @Test
    @Order(1)
    void bothNodesReportPeerAliveAndLinkConnected() throws Exception {
        for (PairNode node : nodes) {
            try (JMXConnector connector = jmx(node)) {
                MBeanServerConnection mbeans = connector.getMBeanServerConnection();
                assertEquals(node.nodeId(), String.valueOf(mbeans.getAttribute(NODE, "NodeId")));
                assertEquals(node.role(), String.valueOf(mbeans.getAttribute(NODE, "Role")));
                assertEquals("ALIVE", String.valueOf(mbeans.getAttribute(NODE, "PeerHealth")), node.nodeId());
                assertEquals("CONNECTED", String.valueOf(mbeans.getAttribute(NODE, "LinkState")), node.nodeId());
            }
        }
        ProcessResult status = colo(Duration.ofSeconds(60), "status", "--dir", pairDir.toString(), "--json");
        assertEquals(0, status.exit(), status.output());
        Map<String, Object> report = JSON.std.mapFrom(status.output().substring(status.output().indexOf('{')));
        for (Object item : (List<?>) report.get("nodes")) {
            assertEquals("CONNECTED", ((Map<?, ?>) item).get("linkState"), status.output());
        }
    }

    @Test
    @Order(2)
    void tlsClientWithoutATrustedCertificateIsRefused() throws Exception {
        Path keyStore = work.resolve("intruder.p12");
        String password = "intruder-pw";
        ProcessResult keytool = run(Duration.ofSeconds(60), List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "intruder",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=colo-b", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password));
        assertEquals(0, keytool.exit(), keytool.output());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        // Test only: the intruder trusts any server, so that what is tested is the server refusing the intruder.
        context.init(kmf.getKeyManagers(), new TrustManager[] {new TrustAnything()}, null);

        for (PairNode node : nodes) {
            String outcome;
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", node.peerLinkPort()), 5000);
                socket.setSoTimeout((int) REFUSAL_TIMEOUT.toMillis());
                socket.setEnabledProtocols(new String[] {"TLSv1.3"});
                socket.startHandshake();
                int first = socket.getInputStream().read();
                assertEquals(-1, first, node.nodeId() + " sent application data to a client with an untrusted certificate");
                outcome = "closed after the handshake, no data";
            } catch (SocketTimeoutException e) {
                fail(node.nodeId() + " neither refused nor closed an untrusted TLS client within " + REFUSAL_TIMEOUT);
                return;
            } catch (SSLException | SocketException e) {
                outcome = "refused: " + e;
            }
            System.out.println("[PairLifecycleIT] untrusted TLS client to " + node.nodeId() + ":" + node.peerLinkPort()
                    + " -> " + outcome);
        }
    }

    @Test
    @Order(3)
    void plaintextClientIsRefused() throws Exception {
        for (PairNode node : nodes) {
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            String outcome;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", node.peerLinkPort()), 5000);
                socket.setSoTimeout((int) REFUSAL_TIMEOUT.toMillis());
                OutputStream out = socket.getOutputStream();
                out.write("HELLO colo-b heartbeat\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[512];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                }
                outcome = "closed";
            } catch (SocketTimeoutException e) {
                fail(node.nodeId() + " neither refused nor closed a plaintext client within " + REFUSAL_TIMEOUT);
                return;
            } catch (SocketException e) {
                outcome = "reset: " + e.getMessage();
            }
            byte[] bytes = received.toByteArray();
            // the only acceptable answer is nothing, or a TLS alert record (content type 21)
            assertTrue(bytes.length == 0 || bytes[0] == 21,
                    node.nodeId() + " answered a plaintext client with " + bytes.length + " bytes that are not a TLS alert");
            System.out.println("[PairLifecycleIT] plaintext client to " + node.nodeId() + ":" + node.peerLinkPort()
                    + " -> " + outcome + " after " + bytes.length + " bytes" + (bytes.length > 0 ? " (TLS alert)" : ""));
        }
    }

    @Test
    @Order(4)
    void secondaryDeclaresKilledPrimaryDeadWithinTheHeartbeatTimeout() throws Exception {
        PairNode primary = nodes.get(0);
        PairNode secondary = nodes.get(1);
        long timeoutMs = heartbeatTimeoutMs(secondary);
        long limitMs = timeoutMs * 12 / 10;

        try (JMXConnector connector = jmx(secondary)) {
            MBeanServerConnection mbeans = connector.getMBeanServerConnection();
            assertEquals("ALIVE", String.valueOf(mbeans.getAttribute(NODE, "PeerHealth")));

            long killed = System.nanoTime();
            ProcessResult kill = run(Duration.ofSeconds(10), List.of("kill", "-9", Long.toString(primary.pid())));
            assertEquals(0, kill.exit(), "kill -9 " + primary.pid() + ": " + kill.output());

            long suspectedMs = -1;
            long deadMs = -1;
            long deadline = killed + TimeUnit.MILLISECONDS.toNanos(limitMs + 5000);
            while (System.nanoTime() < deadline) {
                String health = String.valueOf(mbeans.getAttribute(NODE, "PeerHealth"));
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                if (suspectedMs < 0 && !"ALIVE".equals(health)) {
                    suspectedMs = elapsedMs;
                }
                if ("DEAD".equals(health)) {
                    deadMs = elapsedMs;
                    break;
                }
                Thread.sleep(POLL.toMillis());
            }
            String measured = "secondary " + secondary.nodeId() + " reported peer DEAD " + deadMs
                    + " ms after kill -9 of the primary (first not ALIVE after " + suspectedMs + " ms; heartbeat.timeout.ms "
                    + timeoutMs + ", limit " + limitMs + " ms)";
            System.out.println("[PairLifecycleIT] " + measured);
            Files.writeString(work.resolve("failure-detection.txt"), measured + "\n");
            assertTrue(deadMs >= 0, "the secondary never reported the killed primary DEAD: " + measured);
            assertTrue(deadMs <= limitMs, measured);
            assertTrue(gone(primary.pid(), Duration.ofSeconds(10)), "primary pid " + primary.pid() + " survived kill -9");
        }
    }

    /** Whether the process ended (or is a zombie waiting to be reaped) within {@code timeout}. */
    private static boolean gone(long pid, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            boolean zombie = false;
            try {
                String text = Files.readString(stat);
                zombie = text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
            } catch (IOException e) {
                // no /proc entry: gone, or not Linux
            }
            if (zombie || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private long heartbeatTimeoutMs(PairNode node) throws IOException {
        Properties cfg = new Properties();
        try (InputStream in = Files.newInputStream(node.home().resolve("etc/dev.colo.pair.cfg"))) {
            cfg.load(in);
        }
        return Long.parseLong(cfg.getProperty("heartbeat.timeout.ms", "1000").trim());
    }

    private static JMXConnector jmx(PairNode node) throws IOException {
        return JMXConnectorFactory.connect(new JMXServiceURL(node.jmxServiceUrl()),
                Map.of(JMXConnector.CREDENTIALS, new String[] {node.jmxUser(), node.jmxPassword()}));
    }

    record ProcessResult(int exit, String output) {
    }

    private ProcessResult colo(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(distribution.resolve("bin/colo").toString());
        command.addAll(List.of(args));
        return run(timeout, command);
    }

    /** Runs a command, echoing its output; kills it if it takes longer than {@code timeout}. */
    private static ProcessResult run(Duration timeout, List<String> command) throws Exception {
        System.out.println("[PairLifecycleIT] $ " + String.join(" ", command));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    System.out.write(buffer, 0, n);
                    System.out.flush();
                    synchronized (output) {
                        output.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "it-output");
        pump.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeout);
        }
        pump.join(5000);
        synchronized (output) {
            return new ProcessResult(process.exitValue(), output.toString(StandardCharsets.UTF_8));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts every server certificate. Only for the intruder client of this test. */
    private static final class TrustAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
