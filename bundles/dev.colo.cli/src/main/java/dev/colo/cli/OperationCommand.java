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
 * {@code colo checkpoint}, {@code colo failover}, {@code colo switchover} and {@code colo resolve}: one MXBean
 * operation on one node of the local pair, over JMX as an operator's script would call it; prints the operation's
 * answer (as JSON with {@code --json}).
 */
final class OperationCommand implements Command {
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(5);
    private static final String USAGE_INDENT = "    ";
    private static final int USAGE_WIDTH = 104;

    private final String name;
    private final String objectName;
    private final String operation;
    /** The role of the node asked when --node is absent; null: the node the argument names. */
    private final String defaultRole;
    private final String what;
    /** The operation {@code --force} invokes instead; null: no such option. */
    private final String forcedOperation;
    /** The required option whose value is the operation's one String argument; null: it takes none. */
    private final String argumentOption;

    private OperationCommand(String name, String objectName, String operation, String defaultRole, String what,
            String forcedOperation, String argumentOption) {
        this.name = name;
        this.objectName = objectName;
        this.operation = operation;
        this.defaultRole = defaultRole;
        this.what = what;
        this.forcedOperation = forcedOperation;
        this.argumentOption = argumentOption;
    }

    static OperationCommand checkpoint() {
        return new OperationCommand("checkpoint", CheckpointMXBean.OBJECT_NAME, "checkpointNow", "primary",
                "a checkpoint now (checkpointNow of dev.colo:type=Checkpoint)", null, null);
    }

    static OperationCommand failover() {
        return new OperationCommand("failover", FailoverMXBean.OBJECT_NAME, "failover", "secondary",
                "a failover now: the secondary becomes the primary after its fencing policy (failover of "
                        + "dev.colo:type=Failover; refused when it does not hold the primary's state. --force: "
                        + "forceFailover, for a primary gone for good, losing what it acknowledged since the "
                        + "secondary's last loaded checkpoint)", "forceFailover", null);
    }

    static OperationCommand switchover() {
        return new OperationCommand("switchover", FailoverMXBean.OBJECT_NAME, "switchover", "primary",
                "a planned switchover of the protected pair (switchover of dev.colo:type=Failover): the primary "
                        + "stops acknowledging, takes a final checkpoint and steps down, and the secondary becomes "
                        + "the primary, with nothing acknowledged lost; refused when the pair is not protected or a "
                        + "failover is under way", null, null);
    }

    static OperationCommand resolve() {
        // the kept node by default: it is the one that must run, and it answers even when the other does not
        return new OperationCommand("resolve", FailoverMXBean.OBJECT_NAME, "resolveSplitBrain", null,
                "the end of a split brain (resolveSplitBrain of dev.colo:type=Failover): the kept node acknowledges "
                        + "again and re-protects, the other steps down to secondary and its disks are "
                        + "resynchronised from the kept one (its own unprotected writes are discarded); refused "
                        + "when there is no split brain", null, "keep");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String usage() {
        String argument = argumentOption == null ? "" : " --" + argumentOption + " NODE";
        String asked = defaultRole == null ? "the node --" + argumentOption + " names" : "the " + defaultRole;
        String argumentKey = argumentOption == null ? "" : "\"" + argumentOption + "\", ";
        String description = """
                Asks %s of the pair in DIR (default ./pair), or NODE, for %s. Prints its answer; exit code 0 when \
                the node answered. --json: {"node", "operation", %s"answer"}.""".formatted(asked, what, argumentKey);
        return name + argument + " [--dir DIR] [--node NODE] [--json]" + (forcedOperation == null ? "" : " [--force]")
                + wrap(description);
    }

    /** Each word of {@code text} after a space, or after a line break and indent where the line would be too long. */
    private static String wrap(String text) {
        StringBuilder wrapped = new StringBuilder();
        int lineLength = USAGE_WIDTH; // the text starts on a line of its own
        for (String word : text.split(" ")) {
            if (lineLength + 1 + word.length() > USAGE_WIDTH) {
                wrapped.append('\n').append(USAGE_INDENT).append(word);
                lineLength = USAGE_INDENT.length() + word.length();
            } else {
                wrapped.append(' ').append(word);
                lineLength += 1 + word.length();
            }
        }
        return wrapped.toString();
    }

    @Override
    public Set<String> valueOptions() {
        return argumentOption == null ? Set.of("dir", "node") : Set.of("dir", "node", argumentOption);
    }

    @Override
    public Set<String> flagOptions() {
        return forcedOperation == null ? Set.of("json") : Set.of("json", "force");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        String[] arguments = arguments(args);
        PairFile.Pair pair = PairFile.readIn(PairDirs.dir(args), "start one with bin/colo pair up");
        String defaultNode = arguments.length == 0 ? "" : arguments[0];
        PairFile.Node node = pair.node(args.value("node", defaultNode), defaultRole);
        String operation = forcedOperation != null && args.flag("force") ? forcedOperation : this.operation;
        try (JmxClient client = JmxClient.connect(node.jmx(), JMX_TIMEOUT)) {
            String answer = String.valueOf(client.invoke(objectName, operation, arguments));
            out.println(report(node.nodeId(), operation, arguments, answer, args.flag("json")));
            return 0;
        } catch (IOException e) {
            throw new CliException(name + " on " + node.nodeId() + ": " + e.getMessage(), e);
        }
    }

    /** The operation's argument (the value of its required option), or none. */
    private String[] arguments(Args args) throws UsageException {
        if (argumentOption == null) {
            return new String[0];
        }
        String value = args.value(argumentOption);
        if (value == null) {
            throw new UsageException("--" + argumentOption + " NODE is required");
        }
        return new String[] {value};
    }

    /** {@code NODE: answer}, or with {@code json} {"node", "operation", [argument option,] "answer"}. */
    String report(String nodeId, String operation, String[] arguments, String answer, boolean json)
            throws IOException {
        if (!json) {
            return nodeId + ": " + answer;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("node", nodeId);
        result.put("operation", operation);
        if (arguments.length > 0) {
            result.put(argumentOption, arguments[0]);
        }
        result.put("answer", answer);
        return JSON.std.asString(result);
    }
}
