package dev.colo.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * DIR/pair.json: the local pair as {@code pair up} started it. Holds the JMX passwords, hence mode 0600.
 * <pre>
 * {"state":"up","installation":"/opt/colo","nodes":[{"nodeId":"colo-a","role":"primary","pid":1234,
 *   "home":"/tmp/pair/colo-a","jmxServiceUrl":"service:jmx:rmi://...","jmxUser":"admin","jmxPassword":"...",
 *   "peerLinkPort":40001,"sshPort":40002,"nbdUri":"nbd://127.0.0.1:40003/scratch",
 *   "disks":[{"name":"disk0","nbdUri":"nbd://127.0.0.1:40006/disk0-view",
 *     "localPath":"/tmp/pair/colo-a/data/disk0.img","activePath":"/tmp/pair/colo-a/data/disk0-active.img",
 *     "hiddenPath":"/tmp/pair/colo-a/data/disk0-hidden.img","replicationPort":40005}],
 *   "guestPort":40007}, ...],
 *  "service":{"name":"kv","host":"127.0.0.1","port":40017}}
 * </pre>
 * {@code service} is the protected service clients use (the reference guest behind the primary's proxy);
 * {@code guestPort} is where each node's own guest listens (its proxy forwards there).
 * Per protected disk of a node ({@code disks}, see {@link Disk}): {@code nbdUri} is the node's local NBD export
 * of the guest's view of the disk; {@code localPath} is the primary's disk on the primary and the secondary disk
 * S on the secondary; {@code activePath} and {@code hiddenPath} are the overlays A and H (used on the secondary,
 * configured on both so that either can take either role); {@code replicationPort} is where the node takes its
 * primary's writes while it is secondary. A file without {@code disks} (written before disks were protected)
 * reads as nodes without disks.
 */
final class PairFile {
    static final String NAME = "pair.json";

    /** Lifecycle of the local pair as recorded in the file. */
    enum State {
        /** Nodes started, not yet both connected and alive. */
        STARTING,
        /** Both nodes answered with link CONNECTED and peer ALIVE, and their disks replicate. */
        UP,
        /** The pair did not come up in time; the nodes may still run. */
        FAILED,
        /** Stopped by {@code pair down}. */
        DOWN;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State fromJson(String value) throws IOException {
            for (State state : values()) {
                if (state.json().equals(value)) {
                    return state;
                }
            }
            throw new IOException("unknown state '" + value + "'");
        }
    }

    /**
     * One protected disk of a node (factory configuration {@code dev.colo.replication.disk-<name>}).
     *
     * @param name            the disk name, the same on both nodes
     * @param nbdUri          the node's local NBD export of the guest's view, {@code nbd://127.0.0.1:P/<name>-view}
     * @param localPath       the primary's disk on the primary; the secondary disk S on the secondary
     * @param activePath      the active overlay A (sparse, as large as the disk)
     * @param hiddenPath      the hidden overlay H (sparse, as large as the disk)
     * @param replicationPort where this node takes its primary's writes while it is secondary
     */
    record Disk(String name, String nbdUri, Path localPath, Path activePath, Path hiddenPath, int replicationPort) {
    }

    /** The protected service clients reach through the primary's proxy. */
    record Service(String name, String host, int port) {
    }

    /**
     * Where the nodes publish their events: {@code url} of the broker; {@code brokerPid} and {@code brokerData} of the
     * embedded broker {@code pair up} started (0 and null for a broker of the operator's).
     */
    record Mqtt(String url, long brokerPid, Path brokerData) {
        boolean embedded() {
            return brokerPid > 0;
        }
    }

    /**
     * Where a node runs: {@code address} serves management, NBD and clients, {@code linkAddress} the peer link
     * and replication; with {@code pair up --netns}, {@code netns} is its network namespace and {@code linkDevice}
     * its end of the pair link there. Without, all on 127.0.0.1 of this host ({@link #LOOPBACK}).
     */
    record Host(String address, String netns, String linkAddress, String linkDevice) {
        static final Host LOOPBACK = new Host(NodeInstance.LOOPBACK, "", NodeInstance.LOOPBACK, "");

        boolean inNamespace() {
            return !netns.isEmpty();
        }
    }

    /**
     * One node of the pair; {@code disks} is empty for a node without protected disks, {@code guestPort} 0 for
     * one without a guest.
     */
    record Node(String nodeId, String role, long pid, Path home, Jmx jmx, int peerLinkPort, int sshPort,
                String nbdUri, List<Disk> disks, int guestPort, Host host) {

        Node {
            disks = List.copyOf(disks);
        }

        Node withPid(long newPid) {
            return new Node(nodeId, role, newPid, home, jmx, peerLinkPort, sshPort, nbdUri, disks, guestPort, host);
        }

        Node withRole(String newRole) {
            return new Node(nodeId, newRole, pid, home, jmx, peerLinkPort, sshPort, nbdUri, disks, guestPort, host);
        }
    }

    /**
     * How to reach a node's JMX connector: its service URL, a login, and a trust store with the pair's CA (the
     * connector speaks TLS; null in a file from before it did).
     */
    record Jmx(String serviceUrl, String user, String password, Path trustStore, String trustStorePassword) {
    }

    /**
     * The whole file; {@code service} and {@code mqtt} are null in a file from before the pair had them;
     * {@code hostNamespace} names this host's namespace for a pair made with {@code --netns}, else null.
     */
    record Pair(State state, Path installation, List<Node> nodes, Service service, Mqtt mqtt, String hostNamespace) {
        Pair withState(State newState) {
            return new Pair(newState, installation, nodes, service, mqtt, hostNamespace);
        }

        /** The node {@code nodeId}, or when it is empty the node in {@code role}. */
        Node node(String nodeId, String role) throws CliException {
            return nodes.stream().filter(n -> nodeId.isEmpty() ? role.equals(n.role()) : nodeId.equals(n.nodeId()))
                    .findFirst().orElseThrow(() -> new CliException(nodeId.isEmpty() ? "the pair has no " + role
                            : "the pair has no node " + nodeId));
        }

        Pair withNodes(List<Node> newNodes) {
            return new Pair(state, installation, List.copyOf(newNodes), service, mqtt, hostNamespace);
        }

        /** {@code action} on every node at once (each may wait seconds on its node), results in node order. */
        <T> List<T> onEachNode(Function<Node, T> action) {
            List<CompletableFuture<T>> results = nodes.stream()
                    .map(node -> CompletableFuture.supplyAsync(() -> action.apply(node))).toList();
            return results.stream().map(CompletableFuture::join).toList();
        }
    }

    private PairFile() {
    }

    static Path in(Path dir) {
        return dir.resolve(NAME);
    }

    static void write(Path file, Pair pair) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("state", pair.state().json());
        root.put("installation", pair.installation().toString());
        List<Object> nodes = new ArrayList<>();
        for (Node node : pair.nodes()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("nodeId", node.nodeId());
            n.put("role", node.role());
            n.put("pid", node.pid());
            n.put("home", node.home().toString());
            n.put("jmxServiceUrl", node.jmx().serviceUrl());
            n.put("jmxUser", node.jmx().user());
            n.put("jmxPassword", node.jmx().password());
            if (node.jmx().trustStore() != null) {
                n.put("jmxTrustStore", node.jmx().trustStore().toString());
                n.put("jmxTrustStorePassword", node.jmx().trustStorePassword());
            }
            n.put("peerLinkPort", node.peerLinkPort());
            n.put("sshPort", node.sshPort());
            n.put("nbdUri", node.nbdUri());
            List<Object> disks = new ArrayList<>();
            for (Disk disk : node.disks()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("name", disk.name());
                d.put("nbdUri", disk.nbdUri());
                d.put("localPath", disk.localPath().toString());
                d.put("activePath", disk.activePath().toString());
                d.put("hiddenPath", disk.hiddenPath().toString());
                d.put("replicationPort", disk.replicationPort());
                disks.add(d);
            }
            n.put("disks", disks);
            n.put("guestPort", node.guestPort());
            if (node.host().inNamespace()) {
                n.put("host", Map.of("address", node.host().address(), "netns", node.host().netns(), "linkAddress",
                        node.host().linkAddress(), "linkDevice", node.host().linkDevice()));
            }
            nodes.add(n);
        }
        root.put("nodes", nodes);
        if (pair.service() != null) {
            Map<String, Object> service = new LinkedHashMap<>();
            service.put("name", pair.service().name());
            service.put("host", pair.service().host());
            service.put("port", pair.service().port());
            root.put("service", service);
        }
        if (pair.mqtt() != null) {
            Map<String, Object> mqtt = new LinkedHashMap<>();
            mqtt.put("url", pair.mqtt().url());
            mqtt.put("brokerPid", pair.mqtt().brokerPid());
            if (pair.mqtt().brokerData() != null) {
                mqtt.put("brokerData", pair.mqtt().brokerData().toString());
            }
            root.put("mqtt", mqtt);
        }
        if (pair.hostNamespace() != null) {
            root.put("hostNamespace", pair.hostNamespace());
        }
        String json = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root);
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Secrets.writeOwnerOnly(tmp, json + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The pair recorded in {@code dir}, or a CliException that says why there is none and {@code advice}. */
    static Pair readIn(Path dir, String advice) throws CliException {
        try {
            return read(in(dir));
        } catch (IOException e) {
            throw new CliException("no pair in " + dir + ": " + e.getMessage() + " (" + advice + ")", e);
        }
    }

    /** Reads the file; an IOException names the file and what is wrong with it. */
    static Pair read(Path file) throws IOException {
        Map<String, Object> root;
        try {
            root = JSON.std.mapFrom(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "does not exist" : "not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")"), e);
        }
        try {
            List<Node> nodes = new ArrayList<>();
            if (!(root.get("nodes") instanceof List<?> list)) {
                throw new IOException("no \"nodes\" array");
            }
            for (Object item : list) {
                if (!(item instanceof Map<?, ?> n)) {
                    throw new IOException("a node is not an object");
                }
                nodes.add(new Node(text(n, "nodeId"), text(n, "role"), number(n, "pid").longValue(),
                        Path.of(text(n, "home")), jmx(n), number(n, "peerLinkPort").intValue(),
                        number(n, "sshPort").intValue(), text(n, "nbdUri"), disks(n),
                        n.get("guestPort") == null ? 0 : number(n, "guestPort").intValue(), host(n)));
            }
            Service service = null;
            if (root.get("service") instanceof Map<?, ?> s) {
                service = new Service(text(s, "name"), text(s, "host"), number(s, "port").intValue());
            }
            Mqtt mqtt = null;
            if (root.get("mqtt") instanceof Map<?, ?> m) {
                mqtt = new Mqtt(text(m, "url"), number(m, "brokerPid").longValue(),
                        m.get("brokerData") == null ? null : Path.of(text(m, "brokerData")));
            }
            return new Pair(State.fromJson(text(root, "state")), Path.of(text(root, "installation")), List.copyOf(nodes),
                    service, mqtt, root.get("hostNamespace") == null ? null : text(root, "hostNamespace"));
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The node's JMX access; without a trust store in a file from before the connector spoke TLS. */
    private static Jmx jmx(Map<?, ?> node) throws IOException {
        boolean tls = node.get("jmxTrustStore") != null;
        return new Jmx(text(node, "jmxServiceUrl"), text(node, "jmxUser"), text(node, "jmxPassword"),
                tls ? Path.of(text(node, "jmxTrustStore")) : null, tls ? text(node, "jmxTrustStorePassword") : null);
    }

    /** The node's "host"; 127.0.0.1 of this host when the key is absent. */
    private static Host host(Map<?, ?> node) throws IOException {
        if (!(node.get("host") instanceof Map<?, ?> h)) {
            return Host.LOOPBACK;
        }
        return new Host(text(h, "address"), text(h, "netns"), text(h, "linkAddress"), text(h, "linkDevice"));
    }

    /** The node's "disks"; none when the key is absent (a file from before disks were protected). */
    private static List<Disk> disks(Map<?, ?> node) throws IOException {
        Object value = node.get("disks");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IOException("\"disks\" of node " + node.get("nodeId") + " is not an array");
        }
        List<Disk> disks = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> d)) {
                throw new IOException("a disk of node " + node.get("nodeId") + " is not an object");
            }
            disks.add(new Disk(text(d, "name"), text(d, "nbdUri"), Path.of(text(d, "localPath")),
                    Path.of(text(d, "activePath")), Path.of(text(d, "hiddenPath")),
                    number(d, "replicationPort").intValue()));
        }
        return List.copyOf(disks);
    }

    private static String text(Map<?, ?> map, String key) throws IOException {
        if (!(map.get(key) instanceof String value)) {
            throw new IOException("\"" + key + "\" is missing or not a string");
        }
        return value;
    }

    private static Number number(Map<?, ?> map, String key) throws IOException {
        if (!(map.get(key) instanceof Number value)) {
            throw new IOException("\"" + key + "\" is missing or not a number");
        }
        return value;
    }
}
