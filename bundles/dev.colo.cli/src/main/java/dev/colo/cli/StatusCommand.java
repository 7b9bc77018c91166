package dev.colo.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.api.Role;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code colo status}: per node of the local pair, its process, what its Node MXBean says, its protected
 * disks (every {@code dev.colo:type=Replication,*} MXBean it registers) and, on the primary, whether each protected
 * service listens for clients (every {@code dev.colo:type=Proxy,*}).
 */
final class StatusCommand implements Command {
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(5);

    /**
     * One node of the report. {@code reason} says why a node is unreachable; {@code disks} is empty for a node
     * that protects no disk or does not answer.
     */
    record NodeReport(String nodeId, String role, long pid, boolean running, boolean reachable, String peerHealth,
                      String linkState, long uptimeMillis, String reason, JmxClient.Protection protection,
                      List<JmxClient.DiskStatus> disks, String health, List<String> healthProblems) {
        NodeReport {
            disks = List.copyOf(disks);
            healthProblems = List.copyOf(healthProblems);
        }
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
                    state and uptime, read over JMX; `unreachable` when a node does not answer. Below it a line
                    with whether the pair is protected (the checkpoints protect it and every service of the
                    primary listens), the checkpoint epoch, the failover state and, while it runs, re-protection
                    (phase, resync percent and ETA); on the primary one line per protected service: name, whether
                    it listens for clients, and where; then one line per protected disk of the node: name, stage,
                    degraded, epoch and dirty bytes.
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
            reports.forEach(report -> out.print(lines(report)));
        }
        return reports.stream().allMatch(NodeReport::reachable) ? 0 : 3;
    }

    static NodeReport report(PairFile.Node node) {
        boolean running = Processes.isOurs(node.pid(), node.home().toString());
        if (!running) {
            return new NodeReport(node.nodeId(), node.role(), node.pid(), false, false, null, null, -1, "not running",
                    JmxClient.Protection.UNKNOWN, List.of(), "UNKNOWN", List.of());
        }
        try (JmxClient client = JmxClient.connect(node.jmx(), JMX_TIMEOUT)) {
            JmxClient.NodeStatus status = client.nodeStatus();
            List<JmxClient.DiskStatus> disks = client.disks();
            String role = status.configured() ? status.role() : node.role();
            return new NodeReport(node.nodeId(), role, node.pid(), true, true, status.peerHealth(), status.linkState(),
                    status.uptimeMillis(), status.configured() ? null : "pair configuration not active",
                    client.protection(), disks, status.health(), status.healthProblems());
        } catch (IOException | RuntimeException e) {
            return new NodeReport(node.nodeId(), node.role(), node.pid(), true, false, null, null, -1, e.getMessage(),
                    JmxClient.Protection.UNKNOWN, List.of(), "UNKNOWN", List.of());
        }
    }

    /**
     * The node's line, its protection's, on the primary one line per service, and one line per disk, each ending in a
     * line separator.
     */
    static String lines(NodeReport r) {
        StringBuilder text = new StringBuilder(line(r)).append(System.lineSeparator());
        protectionLine(r.protection()).ifPresent(line -> text.append(line).append(System.lineSeparator()));
        if (primary(r)) {
            for (JmxClient.ServiceStatus service : r.protection().services()) {
                text.append(serviceLine(service)).append(System.lineSeparator());
            }
        }
        for (JmxClient.DiskStatus disk : r.disks()) {
            text.append(diskLine(disk)).append(System.lineSeparator());
        }
        return text.toString();
    }

    /** Protection, checkpoint epoch, failover state and, while it runs, re-protection; empty when nothing is known. */
    static Optional<String> protectionLine(JmxClient.Protection p) {
        if (p.equals(JmxClient.Protection.UNKNOWN)) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder("         protected ").append(p.protecting() == null ? "?"
                : p.protecting() ? "yes" : "no");
        if (Boolean.TRUE.equals(p.checkpointsProtect()) && !p.notListening().isEmpty()) {
            line.append(" (").append(p.notListening().stream().map(JmxClient.ServiceStatus::name)
                    .collect(Collectors.joining(", "))).append(" not listening)");
        }
        if (p.checkpointEpoch() != null) {
            line.append("  checkpoint epoch ").append(p.checkpointEpoch());
        }
        if (p.failover() != null) {
            line.append("  failover ").append(p.failover());
        }
        if (failingOver(p)) {
            line.append(" (").append(progress(p.failoverProgress())).append(')');
        }
        if (reprotecting(p)) {
            line.append("  reprotection ").append(progress(p.reprotection()));
        }
        return Optional.of(line.toString());
    }

    private static String progress(JmxClient.Progress progress) {
        return progress.what() + (progress.percent() >= 0 ? " " + progress.percent() + " %" : "")
                + (progress.etaSeconds() >= 0 ? " (ETA " + progress.etaSeconds() + " s)" : "");
    }

    private static boolean failingOver(JmxClient.Protection p) {
        return p.failoverProgress() != null && !p.failoverProgress().what().isEmpty();
    }

    /** Re-protection is under way: the primary reports a phase other than done or not its business. */
    private static boolean reprotecting(JmxClient.Protection p) {
        return p.reprotection() != null && !p.reprotection().what().equals("PROTECTED")
                && !p.reprotection().what().equals("NOT_PRIMARY");
    }

    /** Whether the report shows the node's services: only a primary listens for clients. */
    private static boolean primary(NodeReport r) {
        return Role.PRIMARY.configValue().equals(r.role());
    }

    static String serviceLine(JmxClient.ServiceStatus s) {
        return String.format("         service %-8s listening %-3s on %s", s.name(), s.listening() ? "yes" : "no",
                s.listenAddress());
    }

    static String diskLine(JmxClient.DiskStatus d) {
        return String.format("         disk %-8s stage %-15s degraded %-3s epoch %-6d dirty %d B%s", d.name(), d.stage(),
                d.degraded() ? "yes" : "no", d.epoch(), d.dirtyBytes(),
                d.error().isEmpty() ? "" : "  (error: " + d.error().lines().findFirst().orElse("") + ")");
    }

    static String line(NodeReport r) {
        String process = "pid " + r.pid() + (r.running() ? " (running)" : " (not running)");
        String head = String.format("%-8s %-9s %-22s", r.nodeId(), r.role(), process);
        if (!r.reachable()) {
            return head + " unreachable" + (r.running() && r.reason() != null ? " (" + r.reason() + ")" : "");
        }
        return head + " peer " + padRight(r.peerHealth(), 9) + " link " + padRight(r.linkState(), 12) + " up "
                + duration(r.uptimeMillis()) + (r.reason() != null ? "  (" + r.reason() + ")" : "")
                + (r.health().equals("FAILED") ? "  health FAILED (" + String.join("; ", r.healthProblems()) + ")" : "");
    }

    /** As the MXBean names it: {@code what}, {@code <prefix>Percent}, {@code <prefix>EtaSeconds}. */
    private static Map<String, Object> progressJson(JmxClient.Progress progress, String what, String prefix) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(what, progress.what());
        json.put(prefix + "Percent", progress.percent());
        json.put(prefix + "EtaSeconds", progress.etaSeconds());
        return json;
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
            n.put("health", r.health());
            n.put("healthProblems", r.healthProblems());
            if (r.reason() != null) {
                n.put("reason", r.reason());
            }
            JmxClient.Protection p = r.protection();
            n.put("protected", p.protecting());
            n.put("checkpointEpoch", p.checkpointEpoch());
            n.put("failover", p.failover());
            if (p.failoverProgress() != null) {
                n.put("failoverProgress", progressJson(p.failoverProgress(), "step", "commit"));
            }
            if (p.reprotection() != null) {
                n.put("reprotection", progressJson(p.reprotection(), "phase", "resync"));
            }
            if (primary(r)) {
                List<Object> services = new ArrayList<>();
                for (JmxClient.ServiceStatus service : p.services()) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("name", service.name());
                    s.put("listenAddress", service.listenAddress());
                    s.put("listening", service.listening());
                    services.add(s);
                }
                n.put("services", services);
            }
            List<Object> disks = new ArrayList<>();
            for (JmxClient.DiskStatus disk : r.disks()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("name", disk.name());
                d.put("stage", disk.stage());
                d.put("degraded", disk.degraded());
                d.put("epoch", disk.epoch());
                d.put("dirtyBytes", disk.dirtyBytes());
                if (!disk.error().isEmpty()) {
                    d.put("error", disk.error());
                }
                disks.add(d);
            }
            n.put("disks", disks);
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
