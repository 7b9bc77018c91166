package dev.colo.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code colo checkpoint} and {@code colo failover}: one MXBean operation on one node of the local pair, over JMX
 * as an operator's script would call it; prints the operation's answer (as JSON with {@code --json}).
 */
final class OperationCommand implements Command {
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final String objectName;
    private final String operation;
    private final String defaultRole;
    private final String what;
    /** The operation {@code --force} invokes instead; null: no such option. */
    private final String forcedOperation;

    private OperationCommand(String name, String objectName, String operation, String defaultRole, String what,
            String forcedOperation) {
        this.name = name;
        this.objectName = objectName;
        this.operation = operation;
        this.defaultRole = defaultRole;
        this.what = what;
        this.forcedOperation = forcedOperation;
    }

    static OperationCommand checkpoint() {
        return new OperationCommand("checkpoint", CheckpointMXBean.OBJECT_NAME, "checkpointNow", "primary",
                "a checkpoint now (checkpointNow of dev.colo:type=Checkpoint)", null);
    }

    static OperationCommand failover() {
        return new OperationCommand("failover", FailoverMXBean.OBJECT_NAME, "failover", "secondary",
                "a failover now: the secondary becomes the primary after its fencing policy (failover of "
                        + "dev.colo:type=Failover; refused when it does not hold the primary's state. --force: "
                        + "forceFailover, for a primary gone for good, losing what it acknowledged since the "
                        + "secondary's last loaded checkpoint)", "forceFailover");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        return """
                %s [--dir DIR] [--node NODE] [--json]%s
                    Asks the %s of the pair in DIR (default ./pair), or NODE, for %s, and prints its answer; exit
                    code 0 when the node answered. --json: {"node", "operation", "answer"}."""
                .formatted(name, forcedOperation == null ? "" : " [--force]", defaultRole, what);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "node");
    }

    @Override
    public Set<String> flagOptions() {
        return forcedOperation == null ? Set.of("json") : Set.of("json", "force");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        PairFile.Pair pair = PairFile.readIn(PairDirs.dir(args), "start one with bin/colo pair up");
        PairFile.Node node = pair.node(args.value("node", ""), defaultRole);
        String operation = forcedOperation != null && args.flag("force") ? forcedOperation : this.operation;
        try (JmxClient client = JmxClient.connect(node.jmx(), JMX_TIMEOUT)) {
            String answer = String.valueOf(client.invoke(objectName, operation));
            if (args.flag("json")) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("node", node.nodeId());
                result.put("operation", operation);
                result.put("answer", answer);
                out.println(JSON.std.asString(result));
            } else {
                out.println(node.nodeId() + ": " + answer);
            }
            return 0;
        } catch (IOException e) {
            throw new CliException(name + " on " + node.nodeId() + ": " + e.getMessage(), e);
        }
    }
}
