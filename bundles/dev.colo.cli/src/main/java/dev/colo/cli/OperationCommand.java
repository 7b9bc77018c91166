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

    private OperationCommand(String name, String objectName, String operation, String defaultRole, String what) {
        this.name = name;
        this.objectName = objectName;
        this.operation = operation;
        this.defaultRole = defaultRole;
        this.what = what;
    }

    static OperationCommand checkpoint() {
        return new OperationCommand("checkpoint", CheckpointMXBean.OBJECT_NAME, "checkpointNow", "primary",
                "a checkpoint now (checkpointNow of dev.colo:type=Checkpoint)");
    }

    static OperationCommand failover() {
        return new OperationCommand("failover", FailoverMXBean.OBJECT_NAME, "failover", "secondary",
                "a failover now: the secondary becomes the primary after its fencing policy (failover of "
                        + "dev.colo:type=Failover)");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        return """
                %s [--dir DIR] [--node NODE] [--json]
                    Asks the %s of the pair in DIR (default ./pair), or NODE, for %s, and prints its answer; exit
                    code 0 when the node answered. --json: {"node", "operation", "answer"}."""
                .formatted(name, defaultRole, what);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "node");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        PairFile.Pair pair = PairFile.readIn(PairDirs.dir(args), "start one with bin/colo pair up");
        PairFile.Node node = pair.node(args.value("node", ""), defaultRole);
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
