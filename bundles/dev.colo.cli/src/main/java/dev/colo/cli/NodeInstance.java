package dev.colo.cli;

import dev.colo.api.pair.PairKeys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One local node of {@code pair up}: its own KARAF_BASE (DIR/&lt;node&gt;) with etc/ copied from the
 * installation and edited, data/ and deploy/, run from the installation's bin/ and system/.
 */
final class NodeInstance {
    static final String PAIR_CFG = "dev.colo.pair.cfg";
    static final String MANAGEMENT_CFG = "org.apache.karaf.management.cfg";
    static final String SHELL_CFG = "org.apache.karaf.shell.cfg";
    static final String MQTT_CFG = "dev.colo.mqtt.cfg";
    static final String FAILOVER_CFG = "dev.colo.failover.cfg";
    static final String SYSTEM_PROPERTIES = "system.properties";
    static final String LOOPBACK = "127.0.0.1";
    static final String ADMIN_USER = "admin";
    /** The scratch NBD export every local node gets, as a factory configuration of dev.colo.nbd.export. */
    static final String SCRATCH_EXPORT = "scratch";
    static final String SCRATCH_EXPORT_CFG = "dev.colo.nbd.export-" + SCRATCH_EXPORT + ".cfg";
    static final long SCRATCH_EXPORT_BYTES = 1L << 30;
    /** The protected disk every local node gets, as a factory configuration of {@value #DISK_PID}. */
    static final String DISK_PID = "dev.colo.replication.disk";
    static final String DISK = "disk0";
    static final String DISK_CFG = DISK_PID + "-" + DISK + ".cfg";
    static final long DISK_BYTES = 1L << 30;
    /** The reference guest every local node runs on {@value #DISK}, and the protected service of the same name. */
    static final String GUEST = "kv";
    static final String GUEST_CFG = "dev.colo.guest.kv.cfg";
    static final String SERVICE_CFG = "dev.colo.proxy.service-" + GUEST + ".cfg";
    /** How the replication bundle names the NBD export of a disk's guest view: {@code <disk>-view}. */
    static final String VIEW_EXPORT_SUFFIX = "-view";
    /** Files of the installation's etc/ that a node does not inherit: its users, its SSH host key. */
    private static final Set<String> NOT_COPIED = Set.of(UsersFile.FILE, CredentialsCommand.CREDENTIALS_FILE, "host.key");

    /**
     * Ports of one node, all on 127.0.0.1: {@code nbd} is the scratch export, {@code replication} where the node
     * takes its primary's writes for {@value #DISK} while it is secondary, {@code diskView} the NBD export of
     * {@value #DISK}'s guest view, {@code guest} where the node's reference guest listens.
     */
    record Ports(int peerLink, int rmiRegistry, int rmiServer, int ssh, int nbd, int replication, int diskView,
                 int guest) {
        /** How many ports a node needs. */
        static final int COUNT = 8;

        /** The node's ports from {@code COUNT} free ones starting at {@code first}. */
        static Ports from(List<Integer> free, int first) {
            return new Ports(free.get(first), free.get(first + 1), free.get(first + 2), free.get(first + 3),
                    free.get(first + 4), free.get(first + 5), free.get(first + 6), free.get(first + 7));
        }
    }

    /**
     * Everything that makes a node different from its peer: {@code host} and {@code peerHost} say where each runs,
     * {@code service} where the node's proxy takes clients (null: no guest), {@code takeoverCommand} what it runs
     * when it takes over (empty: nothing).
     */
    record Spec(String nodeId, String role, Ports ports, PairFile.Host host, PairFile.Host peerHost,
                int peerPeerLinkPort, int peerReplicationPort, Pki.NodeMaterial tls, String peerFingerprint,
                String password, String diskGeneration, PairFile.Service service, int heartbeatTimeoutMs,
                String mqttUrl, String takeoverCommand) {
    }

    private NodeInstance() {
    }

    static Path etc(Path home) {
        return home.resolve("etc");
    }

    static Path data(Path home) {
        return home.resolve("data");
    }

    static Path log(Path home) {
        return data(home).resolve("log/karaf.log");
    }

    static Path output(Path home) {
        return home.resolve("karaf.out");
    }

    static String jmxServiceUrl(String nodeId, String address, Ports ports) {
        return "service:jmx:rmi://" + address + ":" + ports.rmiServer() + "/jndi/rmi://" + address + ":"
                + ports.rmiRegistry() + "/karaf-" + nodeId;
    }

    static String nbdUri(String address, Ports ports) {
        return "nbd://" + address + ":" + ports.nbd() + "/" + SCRATCH_EXPORT;
    }

    /** The node's protected disk {@value #DISK}: its files in data/, its view export and replication port. */
    static PairFile.Disk disk(Path home, String address, Ports ports) {
        Path data = data(home);
        return new PairFile.Disk(DISK, "nbd://" + address + ":" + ports.diskView() + "/" + DISK + VIEW_EXPORT_SUFFIX,
                data.resolve(DISK + ".img"), data.resolve(DISK + "-active.img"), data.resolve(DISK + "-hidden.img"),
                ports.replication());
    }

    /** Copies the installation's etc/ into {@code home}/etc (without users and host key) and makes data/, deploy/. */
    static void copyEtc(Path installationEtc, Path home) throws IOException {
        Path target = etc(home);
        Files.walkFileTree(installationEtc, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(installationEtc.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!NOT_COPIED.contains(file.getFileName().toString())) {
                    Files.copy(file, target.resolve(installationEtc.relativize(file).toString()),
                            StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Files.createDirectories(data(home).resolve("log"));
        Files.createDirectories(home.resolve("deploy"));
    }

    /**
     * Edits the node's copied etc/ for its id, role, ports, TLS material, admin password, scratch export and
     * protected disk, and creates the disk's overlays (the node refuses a disk whose overlays do not exist).
     */
    static void configure(Path home, Spec spec) throws IOException {
        Path etc = etc(home);
        Path pairCfg = etc.resolve(PAIR_CFG);
        CfgFile pair = CfgFile.read(pairCfg)
                .set(PairKeys.NODE_ID, spec.nodeId())
                .set(PairKeys.ROLE, spec.role())
                .set(PairKeys.LISTEN_ADDRESS, spec.host().linkAddress())
                .set(PairKeys.LISTEN_PORT, Integer.toString(spec.ports().peerLink()))
                .set(PairKeys.PEER_HOST, spec.peerHost().linkAddress())
                .set(PairKeys.PEER_PORT, Integer.toString(spec.peerPeerLinkPort()))
                .set(PairKeys.KEYSTORE_PATH, spec.tls().keyStore().toString())
                .set(PairKeys.KEYSTORE_PASSWORD, spec.tls().keyStorePassword())
                .set(PairKeys.TRUSTSTORE_PATH, spec.tls().trustStore().toString())
                .set(PairKeys.TRUSTSTORE_PASSWORD, spec.tls().trustStorePassword())
                .set(PairKeys.PEER_FINGERPRINT, spec.peerFingerprint());
        if (spec.heartbeatTimeoutMs() > 0) {
            // a tuned failure detector: heartbeats five times per timeout, and a redial (whose refusal proves a dead
            // peer process) as soon as one interval after a connection drops
            String interval = Integer.toString(Math.max(10, spec.heartbeatTimeoutMs() / 5));
            pair.set(PairKeys.HEARTBEAT_TIMEOUT_MS, Integer.toString(spec.heartbeatTimeoutMs()))
                    .set(PairKeys.HEARTBEAT_INTERVAL_MS, interval)
                    .set(PairKeys.RECONNECT_MIN_MS, interval);
        }
        Secrets.writeOwnerOnly(pairCfg, pair.text());

        String address = spec.host().address();
        edit(etc.resolve(MANAGEMENT_CFG), Map.of(
                "rmiRegistryPort", Integer.toString(spec.ports().rmiRegistry()),
                "rmiRegistryHost", address,
                "rmiServerPort", Integer.toString(spec.ports().rmiServer()),
                "rmiServerHost", address));
        edit(etc.resolve(SHELL_CFG), Map.of(
                "sshPort", Integer.toString(spec.ports().ssh()),
                "sshHost", address));
        edit(etc.resolve(SYSTEM_PROPERTIES), Map.of("karaf.name", spec.nodeId()));

        Files.writeString(etc.resolve(SCRATCH_EXPORT_CFG), """
                # Scratch NBD export of this local node, made by bin/colo pair up (a sparse file in data/).
                name = %s
                path = %s
                size.bytes = %d
                read.only = false
                tls.required = false
                bind.address = %s
                port = %d
                """.formatted(SCRATCH_EXPORT, data(home).resolve(SCRATCH_EXPORT + ".img"), SCRATCH_EXPORT_BYTES,
                address, spec.ports().nbd()));

        PairFile.Disk disk = disk(home, address, spec.ports());
        Files.writeString(etc.resolve(DISK_CFG), diskCfg(disk, DISK_BYTES, address, spec.ports().diskView(),
                spec.peerReplicationPort(), spec.diskGeneration()));
        createOverlays(disk, DISK_BYTES);
        if (spec.service() != null) {
            configureGuest(etc, spec);
        }
        if (!spec.takeoverCommand().isEmpty()) {
            Files.writeString(etc.resolve(FAILOVER_CFG), """
                    # Made by bin/colo pair up: a node that takes over routes the service address to itself.
                    takeover.command = %s
                    """.formatted(spec.takeoverCommand()));
        }

        edit(etc.resolve(MQTT_CFG), Map.of("broker.urls", spec.mqttUrl()));
        UsersFile.setAdmin(etc, ADMIN_USER, spec.password());
        Secrets.writeOwnerOnly(etc.resolve(CredentialsCommand.CREDENTIALS_FILE),
                "# Admin login of this node (JMX and SSH), made by bin/colo pair up\nuser=" + ADMIN_USER
                        + "\npassword=" + spec.password() + "\n");
    }

    /**
     * Sets the role a stopped node starts in ({@code role} of its etc/dev.colo.pair.cfg): an old primary made
     * secondary never comes back as primary.
     */
    static void configureRole(Path home, String role) throws IOException {
        Path pairCfg = etc(home).resolve(PAIR_CFG);
        CfgFile.read(pairCfg).set(PairKeys.ROLE, role).write(pairCfg);
    }

    /** The reference guest on {@value #DISK} and the protected service in front of it. */
    private static void configureGuest(Path etc, Spec spec) throws IOException {
        Files.writeString(etc.resolve(GUEST_CFG), """
                # The reference guest of this local node (a key-value store speaking the Redis protocol), its data
                # in a log on the protected disk, made by bin/colo pair up. Clients use the service below.
                name = %s
                listen.address = %s
                listen.port = %d
                disk = %s
                """.formatted(GUEST, spec.host().address(), spec.ports().guest(), DISK));
        Files.writeString(etc.resolve(SERVICE_CFG), """
                # The protected service: clients connect to listen.port (on the primary); the proxy forwards to this
                # node's guest and compares its output with the secondary's. Made by bin/colo pair up.
                name = %s
                protocol = tcp
                listen.address = %s
                listen.port = %d
                guest.host = %s
                guest.port = %d
                """.formatted(GUEST, spec.service().host(), spec.service().port(), spec.host().address(),
                spec.ports().guest()));
    }

    /** The factory configuration of {@code disk}: {@code peerReplicationPort} is where the peer takes writes. */
    static String diskCfg(PairFile.Disk disk, long sizeBytes, String exportAddress, int exportPort,
            int peerReplicationPort, String initialGeneration) {
        return """
                # Protected disk %1$s of this local node, made by bin/colo pair up. local.path is the primary's disk
                # on the primary and S on the secondary (created sparse by the node); the overlays A and H are sparse
                # files as large as the disk that bin/colo pair up creates. Guest view: %2$s
                name = %1$s
                local.path = %3$s
                active.path = %4$s
                hidden.path = %5$s
                size.bytes = %6$d
                mode = sync
                replication.port = %7$d
                peer.replication.port = %8$d
                export.bind.address = %9$s
                export.port = %10$d
                # Both nodes' disks are created empty together: the same history, so protecting them copies nothing.
                initial.generation = %11$s
                """.formatted(disk.name(), disk.nbdUri(), disk.localPath(), disk.activePath(), disk.hiddenPath(),
                sizeBytes, disk.replicationPort(), peerReplicationPort, exportAddress, exportPort, initialGeneration);
    }

    /** Creates the active and hidden overlay of {@code disk} as new sparse files of {@code sizeBytes}. */
    static void createOverlays(PairFile.Disk disk, long sizeBytes) throws IOException {
        for (Path overlay : List.of(disk.activePath(), disk.hiddenPath())) {
            Files.createDirectories(overlay.getParent());
            Files.createFile(overlay);
            try (RandomAccessFile file = new RandomAccessFile(overlay.toFile(), "rw")) {
                file.setLength(sizeBytes);
            }
        }
    }

    /** The environment that makes bin/karaf run this node (KARAF_HOME: bin/karaf derives it from its own path). */
    static Map<String, String> environment(Path home) {
        return Map.of(
                "KARAF_BASE", home.toString(),
                "KARAF_DATA", data(home).toString(),
                "KARAF_ETC", etc(home).toString(),
                "KARAF_LOG", data(home).resolve("log").toString(),
                "CHECK_ROOT_INSTANCE_RUNNING", "false",
                "COLO_SETENV_DONE", "",
                "JAVA_HOME", System.getenv().getOrDefault("JAVA_HOME", System.getProperty("java.home")));
    }

    /**
     * {@code bin/karaf daemon}, inside the node's network namespace if it has one: the script (and
     * {@code ip netns exec}) exec java, so the started process is the node's JVM.
     */
    static List<String> command(Path installation, PairFile.Host host) {
        List<String> karaf = List.of(installation.resolve("bin/karaf").toString(), "daemon");
        return host.inNamespace() ? HostNamespaces.inside(host.netns(), karaf) : karaf;
    }

    private static void edit(Path file, Map<String, String> values) throws IOException {
        CfgFile cfg = CfgFile.read(file);
        values.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> cfg.set(e.getKey(), e.getValue()));
        cfg.write(file);
    }
}
