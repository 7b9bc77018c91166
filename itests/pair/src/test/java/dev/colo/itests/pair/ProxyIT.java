package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.NodeMBean;
import dev.colo.itests.support.Processes;
import dev.colo.itests.support.RedisCli;
import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The proxy of the real distribution's local pair, through the doors a user has: a factory configuration
 * dropped into each node's {@code etc/}, {@code redis-cli} against the primary's service port with a real
 * {@code redis-server} guest on each node, and the Proxy MXBean over remote JMX. A redis-server is not a
 * protected guest (no checkpoint can capture or restore it), so the proxy does not compare for it: it forwards
 * directly and says so. {@code CheckpointIT} covers a service whose guest is protected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
    private static final String SERVICE = "redis";

    private final List<Process> guests = new ArrayList<>();
    private Path work;
    private LocalPair pair;
    private LocalPair.Node primary;
    private LocalPair.Node secondary;
    private int servicePort;
    private int primaryGuest;
    private int secondaryGuest;

    @BeforeAll
    void pairUp() throws Exception {
        Path distribution = Distribution.orSkip("the proxy");
        for (String tool : List.of("redis-server", "redis-cli")) {
            assumeTrue(ThisMachine.hasTool(tool), tool + " is not installed (apt-get install redis-server redis-tools): "
                    + "skipping the proxy test");
        }
        work = Distribution.work("proxy");
        primaryGuest = redisServer();
        secondaryGuest = redisServer();
        pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT);
        servicePort = ThisMachine.freePort(); // chosen just before it is bound: pair up makes many connections
        primary = pair.node("colo-a");
        secondary = pair.node("colo-b");
        configureService(primary, SERVICE, Integer.toString(servicePort), primaryGuest);
        configureService(secondary, SERVICE, Integer.toString(servicePort), secondaryGuest);
    }

    @AfterAll
    void pairDown() {
        if (pair != null) {
            pair.down();
        }
        guests.forEach(Process::destroyForcibly);
    }

    @Test
    void clientsReachThePrimarysGuestThroughTheServicePortAndTheMXBeanCountsThem() throws Exception {
        try (NodeMBean proxy = NodeMBean.of(primary, "Proxy", SERVICE, "Statistics")) {
            proxy.await("registered", bean -> SERVICE.equals(bean.unchecked("ServiceName")), STATE_TIMEOUT);
            assertEquals("tcp", proxy.attribute("Protocol"));
            assertEquals("OK", redisCli(servicePort, "SET", "colo:key", "through the proxy"));
            assertEquals("through the proxy", redisCli(servicePort, "GET", "colo:key"));
            assertEquals("through the proxy", redisCli(primaryGuest, "GET", "colo:key"), "the primary's guest has it");
            assertFalse((Boolean) proxy.attribute("Protecting"), "not a protected guest: forwarded directly");
            CompositeData statistics = (CompositeData) proxy.attribute("Statistics");
            long replies = "+OK\r\n$17\r\nthrough the proxy\r\n".length();
            assertTrue(((Number) statistics.get("releasedBytes")).longValue() >= replies, statistics.toString());
            assertEquals(0L, ((Number) statistics.get("heldBytes")).longValue(), statistics.toString());
        }
        try (NodeMBean proxy = NodeMBean.of(secondary, "Proxy", SERVICE, "Statistics")) {
            proxy.await("registered", bean -> SERVICE.equals(bean.unchecked("ServiceName")), STATE_TIMEOUT);
        }
        assertEquals("", redisCli(secondaryGuest, "GET", "colo:key"), "nothing was mirrored while not protecting");
    }

    @Test
    void aBadServiceConfigurationIsRefusedNamingTheKeyAndTheOthersKeepServing() throws Exception {
        configureService(primary, "broken", "70000", primaryGuest);
        Path log = primary.home().resolve("data/log/karaf.log");
        long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
        String refused = "";
        while (refused.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            refused = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains("'listen.port'") && line.contains("70000")).findFirst().orElse("");
        }
        assertFalse(refused.isEmpty(), "no error naming listen.port and 70000 in " + log);
        assertEquals("PONG", redisCli(servicePort, "PING"), "the valid service keeps serving");
    }

    /** Drops {@code etc/dev.colo.proxy.service-<name>.cfg} into the node's home, as an operator does. */
    private static void configureService(LocalPair.Node node, String name, String listenPort, int guestPort)
            throws IOException {
        String cfg = String.join("\n", "name = " + name, "listen.address = 127.0.0.1", "listen.port = " + listenPort,
                "guest.port = " + guestPort, "");
        Path etc = node.home().resolve("etc");
        Path temporary = Files.writeString(etc.resolve("." + name + ".tmp"), cfg);
        Files.move(temporary, etc.resolve("dev.colo.proxy.service-" + name + ".cfg")); // whole, for the file watcher
    }

    private int redisServer() throws Exception {
        int port = ThisMachine.freePort();
        Process guest = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(work.resolve("redis-" + port + ".log").toFile()).start();
        guests.add(guest);
        long deadline = System.nanoTime() + STATE_TIMEOUT.toNanos();
        while (!"PONG".equals(redisCliQuietly(port))) {
            assertTrue(System.nanoTime() < deadline && guest.isAlive(), "redis-server on " + port + " did not start");
            Thread.sleep(100);
        }
        return port;
    }

    private String redisCliQuietly(int port) {
        try {
            return redisCli(port, "PING");
        } catch (IOException | InterruptedException | AssertionError e) {
            return "";
        }
    }

    /** One {@code redis-cli} command; returns its reply (raw, without the newline). */
    private String redisCli(int port, String... command) throws IOException, InterruptedException {
        Processes.Result result = RedisCli.run(work.resolve("redis-cli.log"), TOOL_TIMEOUT, port, command);
        assertEquals(0, result.exit(), "redis-cli -p " + port + " " + String.join(" ", command) + ": " + result.output());
        return result.output().strip();
    }
}
