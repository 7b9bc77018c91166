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
 * {"state":"up","home":"/opt/colo","nodes":[{"nodeId":"colo-a","role":"primary","pid":1234,
 *   "home":"/tmp/pair/colo-a","jmxServiceUrl":"service:jmx:rmi://...","jmxUser":"admin","jmxPassword":"...",
 *   "peerLinkPort":40001,"sshPort":40002,"nbdUri":"nbd://127.0.0.1:40003/scratch"}, ...]}
 * </pre>
 */
final class PairFile {
    static final String NAME = "pair.json";

    /** Lifecycle of the local pair as recorded in the file. */
    enum State {
        /** Nodes started, not yet both connected and alive. */
        STARTING,
        /** Both nodes answered with link CONNECTED and peer ALIVE. */
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

    /** One node of the pair. */
    record Node(String nodeId, String role, long pid, Path home, String jmxServiceUrl, String jmxUser,
                String jmxPassword, int peerLinkPort, int sshPort, String nbdUri) {

        Node withPid(long newPid) {
            return new Node(nodeId, role, newPid, home, jmxServiceUrl, jmxUser, jmxPassword, peerLinkPort, sshPort,
                    nbdUri);
        }
    }

    /** The whole file. */
    record Pair(State state, Path installation, List<Node> nodes) {
        Pair withState(State newState) {
            return new Pair(newState, installation, nodes);
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
            n.put("jmxServiceUrl", node.jmxServiceUrl());
            n.put("jmxUser", node.jmxUser());
            n.put("jmxPassword", node.jmxPassword());
            n.put("peerLinkPort", node.peerLinkPort());
            n.put("sshPort", node.sshPort());
            n.put("nbdUri", node.nbdUri());
            nodes.add(n);
        }
        root.put("nodes", nodes);
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
                        Path.of(text(n, "home")), text(n, "jmxServiceUrl"), text(n, "jmxUser"),
                        text(n, "jmxPassword"), number(n, "peerLinkPort").intValue(), number(n, "sshPort").intValue(),
                        text(n, "nbdUri")));
            }
            return new Pair(State.fromJson(text(root, "state")), Path.of(text(root, "installation")), List.copyOf(nodes));
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
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
