package dev.colo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code colo pair restart --node NODE}: starts again a node of the local pair that is not running (it
 * crashed or was killed), with its files and configuration as they are (an operator may have changed its
 * role), and waits until its pair configuration is active and its disks are registered (in whatever stage
 * their files put them: a failover commit a crash cut short is completed first). The peer need not run.
 */
final class PairRestartCommand implements Command {

    @Override
    public String name() {
        return "pair restart";
    }

    @Override
    public String usage() {
        return """
                pair restart --node NODE [--dir DIR] [--timeout SECONDS]
                    Starts node NODE (colo-a or colo-b) of the pair in DIR (default ./pair) again after it ended,
                    keeping its files and configuration; waits (default %d s) until its pair configuration is
                    active and its disks are registered (the peer need not run), and records its new pid in
                    DIR/pair.json."""
                .formatted(PairUpCommand.DEFAULT_TIMEOUT_SECONDS);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "node", "timeout");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        Path dir = PairDirs.dir(args);
        String nodeId = PairDirs.requiredNode(args);
        int timeoutSeconds = args.intValue("timeout", PairUpCommand.DEFAULT_TIMEOUT_SECONDS, 10, 3600);
        PairFile.Pair pair = PairFile.readIn(dir, "start a pair with bin/colo pair up");
        PairFile.Node node = PairDirs.node(pair, nodeId, dir);
        if (Processes.isOurs(node.pid(), node.home().toString())) {
            throw new CliException(nodeId + " is running (pid " + node.pid() + "); stop it first");
        }
        try {
            long started = System.nanoTime();
            PairFile.Node restarted = PairUpCommand.start(pair.installation(), node, out);
            PairFile.Pair updated = pair.withNodes(pair.nodes().stream()
                    .map(n -> n.nodeId().equals(nodeId) ? restarted : n).toList());
            PairFile.write(PairFile.in(dir), updated);
            // the peer may be down (that is often why a node is restarted): only this node is waited for
            PairFile.Pair justThisNode = pair.withNodes(List.of(restarted));
            boolean up = PairUpCommand.waitUntilUp(justThisNode, Duration.ofSeconds(timeoutSeconds), started, out,
                    JmxClient.NodeStatus::configured,
                    (role, disk) -> disk.isPresent());
            if (!up) {
                throw new CliException(nodeId + " did not come up within " + timeoutSeconds + " s (see "
                        + NodeInstance.log(node.home()) + ")");
            }
            out.printf("%s up again in %.1f s, pid %d%n", nodeId, (System.nanoTime() - started) / 1e9,
                    restarted.pid());
            return 0;
        } catch (IOException e) {
            throw new CliException("pair restart " + nodeId + ": " + e.getMessage(), e);
        }
    }
}
