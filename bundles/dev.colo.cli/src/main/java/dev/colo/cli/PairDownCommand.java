package dev.colo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code colo pair down}: stops both nodes of a local pair (SIGTERM, then SIGKILL); keeps their files. */
final class PairDownCommand implements Command {
    static final Duration GRACE = Duration.ofSeconds(20);

    @Override
    public String name() {
        return "pair down";
    }

    @Override
    public String usage() {
        return """
                pair down [--dir DIR]
                    Stops the nodes of the pair in DIR (default ./pair): SIGTERM, and SIGKILL after %d s.
                    Their files stay; DIR/pair.json is marked down.""".formatted(GRACE.toSeconds());
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        Path dir = PairDirs.dir(args);
        Path file = PairFile.in(dir);
        PairFile.Pair pair = PairFile.readIn(dir, "nothing to stop");
        pair.onEachNode(PairDownCommand::stop).forEach(out::println);
        if (pair.mqtt() != null) {
            out.println(BrokerProcess.stop(pair.mqtt())); // after the nodes: it delivers their status offline
        }
        if (pair.hostNamespace() != null) {
            List<String> namespaces = pair.nodes().stream().map(node -> node.host().netns()).toList();
            HostNamespaces.delete(pair.hostNamespace(), namespaces);
            out.println("Removed the network namespaces " + String.join(", ", namespaces));
        }
        try {
            PairFile.write(file, pair.withState(PairFile.State.DOWN));
        } catch (IOException e) {
            throw new CliException("stopped, but cannot update " + file + ": " + e.getMessage(), e);
        }
        boolean allStopped = pair.nodes().stream().noneMatch(n -> Processes.isOurs(n.pid(), n.home().toString()));
        return allStopped ? 0 : 1;
    }

    /** Stops {@code node} if it runs; one line that says what was done. */
    static String stop(PairFile.Node node) {
        if (!Processes.isOurs(node.pid(), node.home().toString())) {
            return node.nodeId() + ": not running (pid " + node.pid() + ")";
        }
        long start = System.nanoTime();
        boolean killed = Processes.terminate(node.pid(), GRACE);
        if (Processes.isAlive(node.pid())) {
            return node.nodeId() + ": pid " + node.pid() + " is still alive after SIGKILL";
        }
        return String.format("%s: stopped pid %d in %.1f s%s", node.nodeId(), node.pid(),
                (System.nanoTime() - start) / 1e9, killed ? " (SIGKILL after " + GRACE.toSeconds() + " s)" : "");
    }
}
