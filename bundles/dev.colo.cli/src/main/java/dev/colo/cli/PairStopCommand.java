package dev.colo.cli;

import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.NodeMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code colo pair stop --node NODE}: stops one node of the local pair for maintenance, the way {@code pair down}
 * stops nodes. A primary whose peer runs is switched over first, so that the service goes on on the peer with
 * nothing acknowledged lost; {@code pair restart --node NODE} then starts it again, as the secondary.
 */
final class PairStopCommand implements Command {
    static final int DEFAULT_TIMEOUT_SECONDS = 60;
    /** How a switchover that happened begins its answer: {@code switched over to NODE at epoch N}. */
    static final String SWITCHED_OVER = "switched over";
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "pair stop";
    }

    @Override
    public String usage() {
        return """
                pair stop --node NODE [--dir DIR] [--timeout SECONDS] [--force]
                    Stops node NODE (colo-a or colo-b) of the pair in DIR (default ./pair) as pair down does
                    (SIGTERM, SIGKILL after %d s); its files stay, and pair restart --node NODE starts it again.
                    If NODE is the primary and its peer runs, it is switched over first (switchover of
                    dev.colo:type=Failover) and the peer is waited for (default %d s, printing its role) until it
                    reports role primary; DIR/pair.json records the new roles and NODE restarts as the secondary.
                    A refused switchover, or a node that does not answer, stops nothing (exit 1) unless --force.
                    Exit code 0 when NODE is not running at the end."""
                .formatted(PairDownCommand.GRACE.toSeconds(), DEFAULT_TIMEOUT_SECONDS);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "node", "timeout");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("force");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        Path dir = PairDirs.dir(args);
        String nodeId = PairDirs.requiredNode(args);
        Duration timeout = Duration.ofSeconds(args.intValue("timeout", DEFAULT_TIMEOUT_SECONDS, 10, 3600));
        PairFile.Pair pair = PairFile.readIn(dir, "nothing to stop");
        PairFile.Node node = PairDirs.node(pair, nodeId, dir);
        Optional<PairFile.Node> runningPeer = pair.nodes().stream()
                .filter(n -> n != node && running(n)).findFirst();
        boolean switchedOver = false;
        if (running(node) && runningPeer.isEmpty()) {
            out.println("No other node runs: " + nodeId + " stops without a switchover");
        } else if (running(node)) {
            try {
                switchedOver = switchOverIfPrimary(node, runningPeer.get(), timeout, out);
            } catch (CliException notSwitched) {
                if (!args.flag("force")) {
                    throw new CliException(notSwitched.getMessage() + "; nothing stopped (--force stops " + nodeId
                            + " anyway)", notSwitched);
                }
                out.println(notSwitched.getMessage() + "; --force: stopping " + nodeId + " anyway");
            }
        }
        if (switchedOver) {
            recordSwitchover(dir, pair, node, runningPeer.get());
        }
        out.println(PairDownCommand.stop(node));
        if (running(node)) {
            return 1;
        }
        if (switchedOver) {
            try {
                // as reprotect does: whatever the node wrote before it stopped, it comes back as the secondary
                NodeInstance.configureRole(node.home(), "secondary");
            } catch (IOException e) {
                throw new CliException("stopped, but cannot make " + nodeId + " restart as the secondary: "
                        + e.getMessage(), e);
            }
        }
        return 0;
    }

    private static boolean running(PairFile.Node node) {
        return Processes.isOurs(node.pid(), node.home().toString());
    }

    /**
     * If {@code node} reports role primary: invokes switchover on it and waits until {@code peer} reports role
     * primary. Returns whether it switched over; a CliException says why it could not.
     */
    private static boolean switchOverIfPrimary(PairFile.Node node, PairFile.Node peer, Duration timeout,
            PrintStream out) throws CliException {
        long started = System.nanoTime();
        try (JmxClient client = JmxClient.connect(node.jmx(), JMX_TIMEOUT)) {
            String role = client.nodeStatus().role();
            if (!"primary".equals(role)) {
                out.println(node.nodeId() + " is the " + role + ": no switchover needed");
                return false;
            }
            out.println(node.nodeId() + " is the primary: switching over to " + peer.nodeId());
            try {
                String answer = String.valueOf(client.invoke(FailoverMXBean.OBJECT_NAME, "switchover"));
                out.println(node.nodeId() + ": " + answer);
                if (!answer.startsWith(SWITCHED_OVER)) {
                    throw new CliException(node.nodeId() + " did not switch over: " + answer);
                }
            } catch (IOException noAnswer) {
                // the answer may be lost while the switchover went through: the peer's role tells
                out.println(node.nodeId() + ": no answer to switchover (" + noAnswer.getMessage() + ")");
            }
        } catch (IOException e) {
            throw new CliException(node.nodeId() + " cannot be asked for a switchover: " + e.getMessage(), e);
        }
        if (!awaitPrimary(peer, started, timeout, out)) {
            throw new CliException(peer.nodeId() + " did not report role primary within " + timeout.toSeconds()
                    + " s");
        }
        return true;
    }

    /**
     * Polls the Role of {@code peer} until it is primary, printing each change with the seconds since
     * {@code startedNanos}; false after {@code timeout}.
     */
    private static boolean awaitPrimary(PairFile.Node peer, long startedNanos, Duration timeout, PrintStream out)
            throws CliException {
        try (JmxClient client = JmxClient.connect(peer.jmx(), JMX_TIMEOUT)) {
            return client.await(NodeMXBean.OBJECT_NAME, "Role", "primary", timeout, role -> out.printf(
                    "[%5.1f s] %s: role %s%n", (System.nanoTime() - startedNanos) / 1e9, peer.nodeId(), role));
        } catch (IOException e) {
            throw new CliException(peer.nodeId() + " cannot be asked for its role: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for " + peer.nodeId() + " to become the primary", e);
        }
    }

    /** DIR/pair.json with the roles after the switchover, so that the commands' defaults follow them. */
    private static void recordSwitchover(Path dir, PairFile.Pair pair, PairFile.Node node, PairFile.Node peer)
            throws CliException {
        try {
            PairFile.write(PairFile.in(dir), pair.withNodes(pair.nodes().stream()
                    .map(n -> n == node ? n.withRole("secondary") : n == peer ? n.withRole("primary") : n).toList()));
        } catch (IOException e) {
            throw new CliException("switched over, but cannot update " + PairFile.in(dir) + " (nothing stopped): "
                    + e.getMessage(), e);
        }
    }
}
