package dev.colo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code colo pair up}: a local primary (colo-a) and secondary (colo-b), two runtimes of this one
 * installation, each with its own KARAF_BASE under DIR and a protected disk {@value NodeInstance#DISK}; waits
 * until both report link CONNECTED and peer ALIVE over JMX and the disk replicates (RUNNING on both, the
 * primary not degraded), then writes DIR/pair.json.
 */
final class PairUpCommand implements Command {
    static final String PRIMARY = "colo-a";
    static final String SECONDARY = "colo-b";
    static final int DEFAULT_TIMEOUT_SECONDS = 180;
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(5);
    private static final int LOG_TAIL_LINES = 40;

    @Override
    public String name() {
        return "pair up";
    }

    @Override
    public String usage() {
        return """
                pair up [--dir DIR] [--timeout SECONDS] [--no-guest] [--heartbeat-timeout-ms MS] [--mqtt-url URL] [--netns]
                    Starts a local pair from this installation: primary colo-a and secondary colo-b, each with
                    its own etc/, data/ and TLS material under DIR/<node>/ (DIR default ./pair), on free
                    127.0.0.1 ports, each protecting a 1 GiB disk disk0 (files in DIR/<node>/data/); waits
                    (default %d s) until both report link CONNECTED and peer ALIVE over JMX and disk0 is
                    RUNNING on both (the primary's not degraded) and writes DIR/pair.json (mode 0600: it holds
                    the JMX passwords). Each node runs the reference guest kv (a Redis-protocol key-value store)
                    on disk0, reached by clients through the protected service kv on the primary's service port;
                    --no-guest leaves the guest and the service out (disk0 alone). --heartbeat-timeout-ms sets
                    heartbeat.timeout.ms (and the interval and link.reconnect.min.ms to a fifth of it) on both
                    nodes: how soon a silent primary is replaced (default 1000; one whose process is gone, as after
                    kill -9, is DEAD after two intervals, once its host refuses the redial). Both nodes publish their
                    status, state and events to MQTT: to the broker at --mqtt-url (tcp:// or ssl://host:port), else
                    to an embedded broker (Moquette) this command starts on a free port and pair down stops.
                    --netns (root, iproute2) runs each node in a network namespace of its own, as two hosts: they
                    talk over a veth pair (the pair link, 10.201.0.1 and .2), each is reached from here at
                    10.202.N.2, and clients use the service at 10.203.0.1, which this host routes to the primary
                    (a node that takes over moves the route). pair down removes the namespaces.""".formatted(DEFAULT_TIMEOUT_SECONDS);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "timeout", "heartbeat-timeout-ms", "mqtt-url");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("no-guest", "netns");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        Path dir = PairDirs.dir(args);
        int timeoutSeconds = args.intValue("timeout", DEFAULT_TIMEOUT_SECONDS, 10, 3600);
        Path installation = ColoHome.home();
        refuseRunningPair(dir);
        try {
            int heartbeatTimeout = args.intValue("heartbeat-timeout-ms", 0, 50, 600_000);
            String mqttUrl = mqttUrl(args);
            PairFile.Pair pair = create(installation, dir, !args.flag("no-guest"), heartbeatTimeout, mqttUrl,
                    args.flag("netns"), out);
            long started = System.nanoTime();
            pair = start(pair, dir, out);
            PairFile.write(PairFile.in(dir), pair);
            boolean up = waitUntilUp(pair, Duration.ofSeconds(timeoutSeconds), started, out);
            PairFile.write(PairFile.in(dir), pair.withState(up ? PairFile.State.UP : PairFile.State.FAILED));
            if (!up) {
                for (PairFile.Node node : pair.nodes()) {
                    out.println();
                    out.println("---- " + node.nodeId() + ": last lines of " + NodeInstance.log(node.home()));
                    out.println(Processes.tail(NodeInstance.log(node.home()), LOG_TAIL_LINES));
                    out.println("---- " + node.nodeId() + ": last lines of " + NodeInstance.output(node.home()));
                    out.println(Processes.tail(NodeInstance.output(node.home()), 10));
                }
                out.println();
                boolean anyRunning = pair.nodes().stream().anyMatch(n -> Processes.isAlive(n.pid()));
                throw new CliException("the pair in " + dir + " did not come up (waited up to " + timeoutSeconds + " s)"
                        + (anyRunning ? "; nodes still running are left for inspection: bin/colo pair down --dir " + dir
                                : "; its nodes have ended (see the logs above)"));
            }
            out.printf("Pair up in %.1f s (%s):%n", (System.nanoTime() - started) / 1e9, PairFile.in(dir));
            for (PairFile.Node node : pair.nodes()) {
                out.printf("  %-8s %-9s pid %-7d peer link %s:%d  ssh %s:%d  home %s%s%n", node.nodeId(), node.role(),
                        node.pid(), node.host().linkAddress(), node.peerLinkPort(), node.host().address(),
                        node.sshPort(), node.home(), node.host().inNamespace() ? "  netns " + node.host().netns() : "");
                out.println("           JMX " + node.jmx().serviceUrl() + " over TLS (user " + node.jmx().user()
                        + ", password in pair.json; JConsole: bin/colo jconsole --node " + node.nodeId() + ")");
                out.println("           NBD " + node.nbdUri() + " (scratch export)");
                if (node.guestPort() != 0) {
                    out.println("           guest " + NodeInstance.GUEST + " on " + node.host().address() + ":"
                            + node.guestPort());
                }
                for (PairFile.Disk disk : node.disks()) {
                    out.println("           disk " + disk.name() + ": view " + disk.nbdUri() + ", replication port "
                            + disk.replicationPort());
                    out.println("             " + ("secondary".equals(node.role()) ? "S     " : "local ")
                            + disk.localPath());
                    out.println("             A     " + disk.activePath());
                    out.println("             H     " + disk.hiddenPath());
                }
            }
            PairFile.Service service = pair.service();
            if (service != null) {
                out.printf("Service %s (the reference guest behind the primary's proxy): %s:%d, e.g. redis-cli -h %s -p %d "
                        + "SET k v%n", service.name(), service.host(), service.port(), service.host(), service.port());
            }
            out.println("Events (MQTT, " + (pair.mqtt().embedded() ? "embedded broker" : "your broker") + " "
                    + pair.mqtt().url() + "): " + BrokerProcess.subscribeHint(pair.mqtt()));
            out.println("Status: bin/colo status --dir " + dir + "    Stop: bin/colo pair down --dir " + dir);
            out.println("Console: bin/colo console --dir " + dir + " [--node NODE] [COMMAND], e.g. colo:status");
            return 0;
        } catch (IOException e) {
            throw new CliException("pair up in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code --mqtt-url}: a broker of the operator's, {@code tcp://} or {@code ssl://host:port}; null for none. */
    private static String mqttUrl(Args args) throws UsageException {
        String url = args.value("mqtt-url", "");
        if (url.isEmpty()) {
            return null;
        }
        if (!url.matches("(tcp|ssl)://[^/:\\s]+:\\d{1,5}")) {
            throw new UsageException("option --mqtt-url: '" + url + "' is not tcp://host:port or ssl://host:port");
        }
        return url;
    }

    private static void refuseRunningPair(Path dir) throws CliException {
        Path file = PairFile.in(dir);
        if (!Files.exists(file)) {
            return;
        }
        try {
            PairFile.Pair existing = PairFile.read(file);
            List<String> running = new ArrayList<>();
            for (PairFile.Node node : existing.nodes()) {
                if (Processes.isOurs(node.pid(), node.home().toString())) {
                    running.add(node.nodeId() + " (pid " + node.pid() + ")");
                }
            }
            if (!running.isEmpty()) {
                throw new CliException("a pair is already running in " + dir + ": " + String.join(", ", running)
                        + "; stop it first with bin/colo pair down --dir " + dir);
            }
        } catch (IOException e) {
            throw new CliException("cannot tell whether a pair runs in " + dir + ": " + e.getMessage()
                    + " (remove the file if no pair runs there)", e);
        }
    }

    /** Creates fresh node directories (replacing a stopped pair's), certificates and configuration. */
    private static PairFile.Pair create(Path installation, Path dir, boolean withGuest, int heartbeatTimeoutMs,
            String mqttUrl, boolean netns, PrintStream out)
            throws IOException, CliException {
        Files.createDirectories(dir);
        for (String old : List.of(PRIMARY, SECONDARY, "ca", "broker")) {
            deleteTree(dir.resolve(old));
        }
        Files.deleteIfExists(PairFile.in(dir));
        HostNamespaces.Layout layout = null;
        if (netns) {
            layout = HostNamespaces.layout(String.format("%04x", dir.toAbsolutePath().hashCode() & 0xffff));
            out.println("Creating network namespaces " + layout.places().get(0).netns() + " and "
                    + layout.places().get(1).netns() + " ...");
            HostNamespaces.create(layout);
        }
        try {
            return create(installation, dir, withGuest, heartbeatTimeoutMs, mqttUrl, layout, out);
        } catch (IOException | CliException | RuntimeException e) {
            if (layout != null) {
                HostNamespaces.delete(layout);
            }
            throw e;
        }
    }

    private static PairFile.Pair create(Path installation, Path dir, boolean withGuest, int heartbeatTimeoutMs,
            String mqttUrl, HostNamespaces.Layout layout, PrintStream out) throws IOException, CliException {
        List<Integer> free = Processes.freeLoopbackPorts(2 * NodeInstance.Ports.COUNT + 2);
        PairFile.Service service = withGuest ? new PairFile.Service(NodeInstance.GUEST, layout == null
                ? NodeInstance.LOOPBACK : HostNamespaces.SERVICE_ADDRESS, free.get(2 * NodeInstance.Ports.COUNT)) : null;
        List<PairFile.Host> hosts = layout == null ? List.of(PairFile.Host.LOOPBACK, PairFile.Host.LOOPBACK)
                : layout.places().stream().map(place -> new PairFile.Host(place.address(), place.netns(),
                        place.linkAddress(), place.linkDevice())).toList();
        Map<String, NodeInstance.Ports> ports = new LinkedHashMap<>();
        ports.put(PRIMARY, NodeInstance.Ports.from(free, 0));
        ports.put(SECONDARY, NodeInstance.Ports.from(free, NodeInstance.Ports.COUNT));

        out.println("Creating the pair's certificates in " + dir + " ...");
        Map<String, Path> tlsDirs = new LinkedHashMap<>();
        for (String node : ports.keySet()) {
            tlsDirs.put(node, NodeInstance.etc(dir.resolve(node)).resolve("tls"));
        }
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        List<String> nodeIds = List.copyOf(ports.keySet());
        for (int i = 0; i < nodeIds.size(); i++) {
            addresses.put(nodeIds.get(i), List.of(hosts.get(i).address(), hosts.get(i).linkAddress()));
        }
        List<Pki.NodeMaterial> tls = new Pki(CertsCommand.DEFAULT_DAYS).create(dir.resolve("ca"), tlsDirs, addresses);

        PairFile.Mqtt mqtt = mqttUrl != null ? new PairFile.Mqtt(mqttUrl, 0, null)
                : BrokerProcess.start(installation, dir, layout == null ? NodeInstance.LOOPBACK
                        : layout.places().get(0).hostSideAddress(), free.get(2 * NodeInstance.Ports.COUNT + 1));
        if (mqtt.embedded()) {
            out.println("Started the embedded MQTT broker on " + mqtt.url() + ", pid " + mqtt.brokerPid());
        }

        // one history for both new, empty disks: their first protection copies nothing
        String diskGeneration = Long.toHexString(new SecureRandom().nextLong() | 1);
        List<PairFile.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String nodeId = i == 0 ? PRIMARY : SECONDARY;
            String peerId = i == 0 ? SECONDARY : PRIMARY;
            String role = i == 0 ? "primary" : "secondary";
            Path home = dir.resolve(nodeId);
            String password = Secrets.password();
            NodeInstance.copyEtc(installation.resolve("etc"), home);
            PairFile.Host host = hosts.get(i);
            String takeover = layout == null ? "" : HostNamespaces.takeoverCommand(layout, layout.places().get(i));
            NodeInstance.configure(home, new NodeInstance.Spec(nodeId, role, ports.get(nodeId), host, hosts.get(1 - i),
                    ports.get(peerId).peerLink(), ports.get(peerId).replication(), tls.get(i),
                    tls.get(1 - i).fingerprintSha256(), password, diskGeneration, service, heartbeatTimeoutMs,
                    mqtt.url(), takeover));
            PairFile.Jmx jmx = new PairFile.Jmx(NodeInstance.jmxServiceUrl(nodeId, host.address(), ports.get(nodeId)),
                    NodeInstance.ADMIN_USER, password, tls.get(i).trustStore(), tls.get(i).trustStorePassword());
            nodes.add(new PairFile.Node(nodeId, role, -1, home, jmx, ports.get(nodeId).peerLink(), ports.get(nodeId).ssh(),
                    NodeInstance.nbdUri(host.address(), ports.get(nodeId)),
                    List.of(NodeInstance.disk(home, host.address(), ports.get(nodeId))),
                    withGuest ? ports.get(nodeId).guest() : 0, host));
        }
        return new PairFile.Pair(PairFile.State.STARTING, installation, List.copyOf(nodes), service, mqtt,
                layout == null ? null : layout.hostNamespace());
    }

    private static PairFile.Pair start(PairFile.Pair pair, Path dir, PrintStream out) throws IOException {
        List<PairFile.Node> started = new ArrayList<>();
        for (PairFile.Node node : pair.nodes()) {
            started.add(start(pair.installation(), node, out));
        }
        return pair.withNodes(started);
    }

    /** Starts one node's runtime from {@code installation}; returns the node with its new pid. */
    static PairFile.Node start(Path installation, PairFile.Node node, PrintStream out) throws IOException {
        Process process = Processes.startDetached(NodeInstance.command(installation, node.host()),
                NodeInstance.environment(node.home()), node.home(), NodeInstance.output(node.home()));
        out.println("Started " + node.nodeId() + " (" + node.role() + "), pid " + process.pid() + ", log "
                + NodeInstance.log(node.home()));
        return node.withPid(process.pid());
    }

    /**
     * Polls both nodes over JMX until link CONNECTED and peer ALIVE on both and every disk {@link #diskUp up},
     * a node dies, or the time is up.
     */
    private static boolean waitUntilUp(PairFile.Pair pair, Duration timeout, long startedNanos, PrintStream out) {
        return waitUntilUp(pair, timeout, startedNanos, out, PairUpCommand::linkUp, PairUpCommand::diskUp);
    }

    /**
     * {@link #waitUntilUp(PairFile.Pair, Duration, long, PrintStream)} for the nodes of {@code pair}, with the
     * rules of readiness given.
     */
    static boolean waitUntilUp(PairFile.Pair pair, Duration timeout, long startedNanos, PrintStream out,
            Predicate<JmxClient.NodeStatus> linkReady, BiPredicate<String, Optional<JmxClient.DiskStatus>> diskReady) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> lastReport = new LinkedHashMap<>();
        Map<String, JmxClient> clients = new LinkedHashMap<>();
        try {
            while (true) {
                boolean allUp = true;
                for (PairFile.Node node : pair.nodes()) {
                    String report;
                    boolean up = false;
                    if (!Processes.isAlive(node.pid())) {
                        out.println(node.nodeId() + ": the node's process (pid " + node.pid() + ") has ended");
                        return false;
                    }
                    try {
                        JmxClient client = clients.get(node.nodeId());
                        if (client == null) {
                            client = JmxClient.connect(node.jmx(), JMX_TIMEOUT);
                            clients.put(node.nodeId(), client);
                        }
                        JmxClient.NodeStatus status = client.nodeStatus();
                        up = linkReady.test(status);
                        StringBuilder line = new StringBuilder(status.configured()
                                ? "link " + status.linkState() + ", peer " + status.peerHealth()
                                : "JMX up, pair configuration not (yet) active");
                        for (PairFile.Disk disk : node.disks()) {
                            Optional<JmxClient.DiskStatus> diskStatus = client.disk(disk.name());
                            up &= diskReady.test(node.role(), diskStatus);
                            line.append("; ").append(diskReport(disk.name(), diskStatus));
                        }
                        report = line.toString();
                    } catch (IOException e) {
                        JmxClient stale = clients.remove(node.nodeId());
                        if (stale != null) {
                            stale.close();
                        }
                        report = "starting (" + e.getMessage() + ")";
                    }
                    if (!report.equals(lastReport.put(node.nodeId(), report))) {
                        out.printf("[%5.1f s] %s: %s%n", (System.nanoTime() - startedNanos) / 1e9, node.nodeId(), report);
                    }
                    allUp &= up;
                }
                if (allUp) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            clients.values().forEach(JmxClient::close);
        }
    }

    /** Whether a node is up in a running pair: link CONNECTED, peer ALIVE. */
    static boolean linkUp(JmxClient.NodeStatus status) {
        return "CONNECTED".equals(status.linkState()) && "ALIVE".equals(status.peerHealth());
    }

    /**
     * Whether a disk of a node in {@code role} is up: RUNNING on both nodes and, on the primary, not degraded
     * (its secondary is synchronised). A Replication MBean not registered yet is not up.
     */
    static boolean diskUp(String role, Optional<JmxClient.DiskStatus> status) {
        return status.filter(JmxClient.DiskStatus::running)
                .filter(s -> !"primary".equals(role) || !s.degraded())
                .isPresent();
    }

    /** How a disk stands, for the progress lines: {@code disk0 RUNNING}, {@code disk0 RUNNING, degraded}, ... */
    static String diskReport(String name, Optional<JmxClient.DiskStatus> status) {
        if (status.isEmpty()) {
            return name + " not registered (yet)";
        }
        JmxClient.DiskStatus s = status.get();
        return name + " " + s.stage() + (s.degraded() ? ", degraded" : "")
                + (s.error().isEmpty() ? "" : " (error: " + s.error().lines().findFirst().orElse("") + ")");
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
}
