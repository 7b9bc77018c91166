package dev.colo.cli;

import java.nio.file.Path;

/**
 * The {@code --dir} of the pair commands (default ./pair, made absolute), and the {@code --node} of those that act
 * on one node.
 */
final class PairDirs {
    static final String DEFAULT_DIR = "pair";

    private PairDirs() {
    }

    static Path dir(Args args) {
        return Path.of(args.value("dir", DEFAULT_DIR)).toAbsolutePath().normalize();
    }

    /** The {@code --node} of a command on one node, which is required (checked before the pair file is read). */
    static String requiredNode(Args args) throws UsageException {
        String nodeId = args.value("node", "");
        if (nodeId.isEmpty()) {
            throw new UsageException("--node is required (colo-a or colo-b)");
        }
        return nodeId;
    }

    /** The node {@code nodeId} of the pair in {@code dir}; a usage error if it has none. */
    static PairFile.Node node(PairFile.Pair pair, String nodeId, Path dir) throws UsageException {
        return pair.nodes().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst()
                .orElseThrow(() -> new UsageException("no node " + nodeId + " in " + PairFile.in(dir)));
    }
}
