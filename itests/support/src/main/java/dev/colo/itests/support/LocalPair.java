package dev.colo.itests.support;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Driver side only (never loaded in a Pax Exam container): a local pair started with {@code bin/colo pair up}
 * from an unpacked distribution, read from its {@code pair.json}, and stopped with {@code bin/colo pair down}.
 */
public final class LocalPair {
    /** How long {@code bin/colo pair up} may take when the caller does not say. */
    public static final Duration DEFAULT_UP_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration CLI_MARGIN = Duration.ofSeconds(30);
    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration GONE_AFTER_DOWN = Duration.ofSeconds(10);

    /** One node as {@code pair.json} describes it, with the handle of its process (pid + start time). */
    public record Node(String nodeId, String role, long pid, Path home, String jmxServiceUrl, String jmxUser,
                       String jmxPassword, Path jmxTrustStore, String jmxTrustStorePassword, int peerLinkPort, int sshPort, String nbdUri, List<Disk> disks,
                       int guestPort, Optional<ProcessHandle> process, Host host) {

        /** The protected disk {@code name} of this node. */
        public Disk disk(String name) {
            return disks.stream().filter(d -> d.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException(nodeId + " has no disk " + name + ": " + disks));
        }

        /** The node's pair configuration, {@code etc/dev.colo.pair.cfg} of its home. */
        public Path pairCfg() {
            return home.resolve("etc").resolve("dev.colo.pair.cfg");
        }

        /** A JMX connection to the node, logged in with the credentials {@code pair up} generated. */
        public JMXConnector connectJmx() throws IOException {
            return connectJmx(jmxUser, jmxPassword);
        }

        /**
         * A JMX connection to the node as another user (one an operator added to its etc/users.properties), over
         * TLS trusting the pair's CA.
         */
        public JMXConnector connectJmx(String user, String password) throws IOException {
            TlsTrust.trustAsDefault(jmxTrustStore, jmxTrustStorePassword);
            return JMXConnectorFactory.connect(new JMXServiceURL(jmxServiceUrl),
                    Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
        }

        /** {@code heartbeat.timeout.ms} of the node's pair configuration. */
        public long heartbeatTimeoutMs() throws IOException {
            Properties cfg = new Properties();
            try (InputStream in = Files.newInputStream(pairCfg())) {
                cfg.load(in);
            }
            return Long.parseLong(cfg.getProperty("heartbeat.timeout.ms", "1000").trim());
        }

        /** Whether the node's process ended (or is a zombie) within {@code timeout}. */
        public boolean gone(Duration timeout) throws InterruptedException {
            return process.isEmpty() || Processes.gone(process.get(), timeout);
        }
    }

    /**
     * A protected disk of a node as {@code pair.json} lists it: the URI of the local NBD export of the guest's
     * view, the local disk (S on a secondary), the overlays, and the port of the replication export.
     */
    public record Disk(String name, String nbdUri, Path localPath, Path activePath, Path hiddenPath,
                       int replicationPort) {
    }

    /**
     * Where a node runs ({@code pair.json}'s {@code host}): its address for management and clients, and with
     * {@code pair up --netns} its network namespace and its end of the pair link there ({@code netns} empty without).
     */
    public record Host(String address, String netns, String linkAddress, String linkDevice) {
        static final Host LOOPBACK = new Host("127.0.0.1", "", "127.0.0.1", "");

        public boolean inNamespace() {
            return !netns.isEmpty();
        }
    }

    /** What {@link #down()} did: {@code bin/colo pair down}'s result, and the nodes that outlived it (then killed). */
    public record Down(Processes.Result result, List<String> survivors) {
    }

    private final Path installation;
    private final Path dir;
    private String state;
    private Service service;
    private long brokerPid;
    private final List<Node> nodes = new ArrayList<>();
    private Down down;

    private LocalPair(Path installation, Path dir) {
        this.installation = installation;
        this.dir = dir;
    }

    /** {@link #up(Path, Path, Duration)} with {@link #DEFAULT_UP_TIMEOUT}. */
    public static LocalPair up(Path installation, Path dir) throws IOException, InterruptedException {
        return up(installation, dir, DEFAULT_UP_TIMEOUT);
    }

    /**
     * {@code bin/colo pair up --dir DIR}: both nodes running, link CONNECTED, peer ALIVE (the CLI waits for that).
     * A pair left in {@code dir} by an earlier run is taken down first. When the pair does not come up, thread
     * dumps of its running nodes are taken ({@code NODE/threads.txt}), it is taken down, and this throws.
     */
    public static LocalPair up(Path installation, Path dir, Duration timeout) throws IOException, InterruptedException {
        return up(installation, dir, timeout, new String[0]);
    }

    /** {@link #up(Path, Path, Duration)} with more options of {@code pair up}, e.g. {@code --no-guest}. */
    public static LocalPair up(Path installation, Path dir, Duration timeout, String... options)
            throws IOException, InterruptedException {
        if (Files.exists(dir.resolve("pair.json"))) {
            colo(installation, dir.resolveSibling(dir.getFileName() + "-down-stale.log"), DOWN_TIMEOUT,
                    "pair", "down", "--dir", dir.toString());
        }
        Trees.delete(dir);
        Files.createDirectories(dir);
        LocalPair pair = new LocalPair(installation, dir);
        Path log = dir.resolve("pair-up.log");
        List<String> args = new ArrayList<>(List.of("pair", "up", "--dir", dir.toString(),
                "--timeout", Long.toString(timeout.minus(CLI_MARGIN).toSeconds())));
        args.addAll(List.of(options));
        Processes.Result up = colo(installation, log, timeout, args.toArray(new String[0]));
        if (Files.exists(dir.resolve("pair.json"))) {
            pair.read();
        }
        if (up.exit() != 0) {
            pair.threadDumps();
            pair.down();
            throw new IllegalStateException("bin/colo pair up failed with exit code " + up.exit() + " (" + log + "):\n"
                    + up.output());
        }
        return pair;
    }

    @SuppressWarnings("unchecked")
    private void read() throws IOException {
        Map<String, Object> json = JSON.std.mapFrom(dir.resolve("pair.json").toFile());
        state = (String) json.get("state");
        Map<String, Object> mqtt = (Map<String, Object>) json.get("mqtt");
        brokerPid = mqtt == null ? 0 : ((Number) mqtt.get("brokerPid")).longValue();
        nodes.clear();
        for (Object element : (List<Object>) json.get("nodes")) {
            Map<String, Object> node = (Map<String, Object>) element;
            long pid = ((Number) node.get("pid")).longValue();
            List<Disk> disks = new ArrayList<>();
            for (Object item : (List<Object>) node.getOrDefault("disks", List.of())) {
                Map<String, Object> disk = (Map<String, Object>) item;
                disks.add(new Disk((String) disk.get("name"), (String) disk.get("nbdUri"),
                        Path.of((String) disk.get("localPath")), Path.of((String) disk.get("activePath")),
                        Path.of((String) disk.get("hiddenPath")), ((Number) disk.get("replicationPort")).intValue()));
            }
            nodes.add(new Node((String) node.get("nodeId"), (String) node.get("role"), pid,
                    Path.of((String) node.get("home")), (String) node.get("jmxServiceUrl"), (String) node.get("jmxUser"),
                    (String) node.get("jmxPassword"), Path.of((String) node.get("jmxTrustStore")),
                    (String) node.get("jmxTrustStorePassword"), ((Number) node.get("peerLinkPort")).intValue(),
                    ((Number) node.get("sshPort")).intValue(), (String) node.get("nbdUri"), List.copyOf(disks),
                    ((Number) node.getOrDefault("guestPort", 0)).intValue(), ProcessHandle.of(pid), host(node)));
        }
        Map<String, Object> s = (Map<String, Object>) json.get("service");
        service = s == null ? null : new Service((String) s.get("name"), (String) s.get("host"),
                ((Number) s.get("port")).intValue());
    }

    @SuppressWarnings("unchecked")
    private static Host host(Map<String, Object> node) {
        Map<String, Object> host = (Map<String, Object>) node.get("host");
        return host == null ? Host.LOOPBACK : new Host((String) host.get("address"), (String) host.get("netns"),
                (String) host.get("linkAddress"), (String) host.get("linkDevice"));
    }

    /**
     * {@code command} in the Karaf console of {@code node}, as an operator types it over SSH ({@code bin/client},
     * batch mode, logged in with the node's generated credentials).
     */
    public Processes.Result console(Node node, String command, Duration timeout)
            throws IOException, InterruptedException {
        Path input = Files.writeString(dir.resolve("console-" + node.nodeId() + ".txt"), command + "\n");
        return Processes.run(client(node), null, input, dir.resolve("console-" + node.nodeId() + ".log"), timeout);
    }

    /**
     * {@code command} in the Karaf console of {@code node} as {@link #console} runs it, left running (a command
     * that follows something live): its output goes to {@code log}; the caller ends it.
     */
    public Process consoleInBackground(Node node, String command, Path log) throws IOException {
        Path input = Files.writeString(dir.resolve("console-background-" + node.nodeId() + ".txt"), command + "\n");
        return new ProcessBuilder(client(node)).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(input.toFile()).start();
    }

    private List<String> client(Node node) {
        return List.of(installation.resolve("bin/client").toString(), "-h", node.host().address(), "-a",
                Integer.toString(node.sshPort()), "-u", node.jmxUser(), "-p", node.jmxPassword(), "-b");
    }

    /** Diagnosis of a pair that did not come up: a thread dump of each node still running, next to its log. */
    private void threadDumps() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        for (Node node : nodes) {
            if (node.process().filter(ProcessHandle::isAlive).isEmpty()) {
                continue;
            }
            Path out = node.home().resolve("threads.txt");
            try {
                Process process = new ProcessBuilder(jcmd.toString(), Long.toString(node.pid()), "Thread.print")
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                process.waitFor(30, TimeUnit.SECONDS);
                System.out.println("[driver] thread dump of " + node.nodeId() + ": " + out);
            } catch (IOException | InterruptedException e) {
                System.out.println("[driver] no thread dump of " + node.nodeId() + ": " + e);
            }
        }
    }

    /** The protected service clients use (the reference guest behind the primary's proxy), as pair.json says. */
    public record Service(String name, String host, int port) {
    }

    public Service service() {
        return service;
    }

    /** The pair's directory ({@code --dir}). */
    /** The pid of the embedded MQTT broker {@code pair up} started; 0 for none (a broker of the test's). */
    public long brokerPid() {
        return brokerPid;
    }

    /** Sends {@code signal} (e.g. STOP, CONT) to {@code pid}, as {@code kill -SIGNAL} does. */
    public static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Path dir() {
        return dir;
    }

    /** The {@code state} of {@code pair.json} as {@code pair up} left it. */
    public String state() {
        return state;
    }

    /** The nodes in the order of {@code pair.json}. */
    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public Node node(String nodeId) {
        return nodes.stream().filter(n -> n.nodeId().equals(nodeId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no node " + nodeId + " in " + dir.resolve("pair.json")));
    }

    /**
     * The roles as the running nodes report them ({@code Role} of {@code dev.colo:type=Node}), recorded in
     * {@code pair.json} as an operator's {@code bin/colo pair stop} or {@code reprotect} would: after a fault that
     * moved the primary without the CLI (a failover of its own, a node stepping down, a switchover over JMX).
     */
    @SuppressWarnings("unchecked")
    public void refreshRoles() throws IOException, InterruptedException {
        Path file = dir.resolve("pair.json");
        Map<String, Object> json = JSON.std.mapFrom(file.toFile());
        for (Object element : (List<Object>) json.get("nodes")) {
            Map<String, Object> node = (Map<String, Object>) element;
            try (NodeMBean bean = NodeMBean.at(node((String) node.get("nodeId")), "dev.colo:type=Node", "Role")) {
                node.put("role", String.valueOf(bean.attribute("Role")));
            }
        }
        Path written = file.resolveSibling("pair.json.tmp");
        JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).write(json, written.toFile());
        Files.move(written, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        read();
    }

    /** {@code bin/colo ARGS} of the installation, its output into {@code DIR/logName}. */
    public Processes.Result colo(Duration timeout, String logName, String... args) throws IOException, InterruptedException {
        return colo(installation, dir.resolve(logName), timeout, args);
    }

    /**
     * Turns automatic failover off on {@code node} ({@code automatic = false} in its etc/dev.colo.failover.cfg) and
     * waits until its Failover MXBean says so: for tests that take its peer away on purpose.
     */
    public static void manualFailover(Node node) throws IOException, InterruptedException {
        Files.writeString(node.home().resolve("etc/dev.colo.failover.cfg"), "automatic = false\n");
        try (NodeMBean failover = NodeMBean.at(node, "dev.colo:type=Failover", "State")) {
            failover.await("manual failover", bean -> Boolean.FALSE.equals(bean.unchecked("Automatic")),
                    Duration.ofSeconds(60));
        }
    }

    /** SIGKILL of one node, as a crash; returns once its process is gone. */
    public static void kill(Node node) {
        node.process().ifPresent(process -> {
            System.out.printf("[driver] kill -9 %s, pid %d%n", node.nodeId(), node.pid());
            process.destroyForcibly();
            process.onExit().join();
        });
    }

    /**
     * {@code bin/colo pair restart --node NODE}: starts a node of this pair that is not running (after a crash),
     * as {@code pair up} did, and waits until it is up; {@link #node} then has its new process.
     */
    public Node restart(Node node, Duration timeout) throws IOException, InterruptedException {
        Processes.Result restart = colo(timeout, "restart-" + node.nodeId() + ".log", "pair", "restart", "--dir",
                dir.toString(), "--node", node.nodeId(), "--timeout", Long.toString(timeout.minus(CLI_MARGIN).toSeconds()));
        if (restart.exit() != 0) {
            throw new IllegalStateException("bin/colo pair restart --node " + node.nodeId() + " failed with exit code "
                    + restart.exit() + ":\n" + restart.output());
        }
        read();
        return node(node.nodeId());
    }

    /**
     * {@code bin/colo reprotect}: after a failover, the node that ended becomes the running one's secondary and
     * the pair is protected again; {@link #node} then has the new roles and process.
     *
     * @return its {@code --json} report (the progress it prints before goes to standard error)
     */
    public Map<String, Object> reprotect(Duration timeout) throws IOException, InterruptedException {
        Processes.Result reprotect = colo(timeout, "reprotect.log", "reprotect", "--dir", dir.toString(), "--timeout",
                Long.toString(timeout.minus(CLI_MARGIN).toSeconds()), "--json");
        if (reprotect.exit() != 0) {
            throw new IllegalStateException("bin/colo reprotect failed with exit code " + reprotect.exit() + ":\n"
                    + reprotect.output());
        }
        read();
        String report = reprotect.output().lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("bin/colo reprotect --json printed no JSON:\n"
                        + reprotect.output()));
        return JSON.std.mapFrom(report);
    }

    /** Stops one node (SIGTERM, SIGKILL after a grace period) and waits until it is gone and its ports are free. */
    public static void stop(Node node) throws InterruptedException {
        ProcessHandle process = node.process()
                .orElseThrow(() -> new IllegalStateException(node.nodeId() + ": pid " + node.pid() + " is not running"));
        String command = process.info().commandLine().orElse("?");
        System.out.printf("[driver] stopping %s, pid %d (%s)%n", node.nodeId(), node.pid(),
                command.length() > 120 ? command.substring(0, 120) + "…" : command);
        process.destroy();
        try {
            process.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    /**
     * {@code bin/colo pair down}, then SIGKILL for any node of ours still running
     * 10 s later (reported as a survivor); idempotent: later calls return the first call's outcome.
     */
    public synchronized Down down() {
        if (down != null) {
            return down;
        }
        Processes.Result result;
        try {
            result = colo(installation, dir.resolve("pair-down.log"), DOWN_TIMEOUT, "pair", "down", "--dir", dir.toString());
        } catch (IOException | InterruptedException e) {
            System.out.println("[driver] bin/colo pair down failed: " + e);
            result = new Processes.Result(-1, e.toString());
        }
        List<String> survivors = new ArrayList<>();
        for (Node node : nodes) {
            try {
                if (node.gone(GONE_AFTER_DOWN)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // The handle carries the start time: a recycled pid is not ours and is left alone.
            System.out.println("[driver] " + node.nodeId() + " survived pair down: SIGKILL pid " + node.pid());
            survivors.add(node.nodeId());
            node.process().ifPresent(ProcessHandle::destroyForcibly);
        }
        down = new Down(result, List.copyOf(survivors));
        return down;
    }

    private static Processes.Result colo(Path installation, Path log, Duration timeout, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(installation.resolve("bin").resolve("colo").toString());
        command.addAll(List.of(args));
        return Processes.run(command, installation, log, timeout);
    }
}
