package dev.colo.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code colo status}: per node of the local pair, its process and what its Node MXBean says. */
final class StatusCommand implements Command {
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(5);

    /** One line of the report. {@code reason} says why a node is unreachable. */
    record NodeReport(String nodeId, String role, long pid, boolean running, boolean reachable, String peerHealth,
                      String linkState, long uptimeMillis, String reason) {
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String usage() {
        return """
                status [--dir DIR] [--json]
                    One line per node of the pair in DIR (default ./pair): id, role, pid, peer health, link
                    state and uptime, read over JMX; `unreachable` when a node does not answer.
                    Exit code 0 when every node answered, 3 otherwise. --json: the same as JSON.""";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        Path dir = PairDirs.dir(args);
        PairFile.Pair pair = PairFile.readIn(dir, "start one with bin/colo pair up --dir " + dir);
        List<NodeReport> reports = pair.onEachNode(StatusCommand::report);
        if (args.flag("json")) {
            out.println(json(pair, reports));
        } else {
            reports.forEach(report -> out.println(line(report)));
        }
        return reports.stream().allMatch(NodeReport::reachable) ? 0 : 3;
    }

    static NodeReport report(PairFile.Node node) {
        boolean running = Processes.isOurs(node.pid(), node.home().toString());
        if (!running) {
            return new NodeReport(node.nodeId(), node.role(), node.pid(), false, false, null, null, -1, "not running");
        }
        try (JmxClient client = JmxClient.connect(node.jmxServiceUrl(), node.jmxUser(), node.jmxPassword(), JMX_TIMEOUT)) {
            JmxClient.NodeStatus status = client.nodeStatus();
            String role = status.configured() ? status.role() : node.role();
            return new NodeReport(node.nodeId(), role, node.pid(), true, true, status.peerHealth(), status.linkState(),
                    status.uptimeMillis(), status.configured() ? null : "pair configuration not active");
        } catch (IOException | RuntimeException e) {
            return new NodeReport(node.nodeId(), node.role(), node.pid(), true, false, null, null, -1, e.getMessage());
        }
    }

    static String line(NodeReport r) {
        String process = "pid " + r.pid() + (r.running() ? " (running)" : " (not running)");
        String head = String.format("%-8s %-9s %-22s", r.nodeId(), r.role(), process);
        if (!r.reachable()) {
            return head + " unreachable" + (r.running() && r.reason() != null ? " (" + r.reason() + ")" : "");
        }
        return head + " peer " + padRight(r.peerHealth(), 9) + " link " + padRight(r.linkState(), 12) + " up "
                + duration(r.uptimeMillis()) + (r.reason() != null ? "  (" + r.reason() + ")" : "");
    }

    static String json(PairFile.Pair pair, List<NodeReport> reports) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("state", pair.state().json());
        List<Object> nodes = new ArrayList<>();
        for (NodeReport r : reports) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("nodeId", r.nodeId());
            n.put("role", r.role());
            n.put("pid", r.pid());
            n.put("running", r.running());
            n.put("reachable", r.reachable());
            n.put("peerHealth", r.reachable() ? r.peerHealth() : "unreachable");
            n.put("linkState", r.reachable() ? r.linkState() : "unreachable");
            n.put("uptimeMillis", r.uptimeMillis());
            if (r.reason() != null) {
                n.put("reason", r.reason());
            }
            nodes.add(n);
        }
        root.put("nodes", nodes);
        try {
            return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static String duration(long millis) {
        if (millis < 0) {
            return "?";
        }
        long s = millis / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s / 3600 + "h" + s % 3600 / 60 + "m";
    }

    private static String padRight(String s, int width) {
        return String.format("%-" + width + "s", s);
    }
}
