package dev.colo.cli;

import dev.colo.api.pair.PairKeys;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code colo certs}: a pair CA and, per node, its key store and trust store, with instructions. */
final class CertsCommand implements Command {
    static final String DEFAULT_NODES = "colo-a,colo-b";
    static final int DEFAULT_DAYS = 825;

    @Override
    public String name() {
        return "certs";
    }

    @Override
    public String usage() {
        return """
                certs --dir DIR [--nodes colo-a,colo-b] [--days N] [--addresses NODE=HOST,...]
                    Creates a pair CA (DIR/ca/) and for each node DIR/<node>/node.p12 (its key and certificate,
                    CN=<node>) and DIR/<node>/trust.p12 (the CA certificate), PKCS#12 with random passwords,
                    and prints which files go to which node and the lines for its etc/dev.colo.pair.cfg.
                    --nodes: the node ids (default %s); --days: validity (default %d); --addresses: the address
                    or DNS name each node is reached at (e.g. colo-a=10.0.0.1,colo-b=b.example.org), which its
                    certificate then names too: JMX clients check it against the address they dial.""".formatted(
                DEFAULT_NODES, DEFAULT_DAYS);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "nodes", "days", "addresses");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        String dirOption = args.value("dir");
        if (dirOption == null) {
            throw new UsageException("option --dir is required (where to put the certificates)");
        }
        List<String> nodes = NodeNames.parseList("nodes", args.value("nodes", DEFAULT_NODES));
        if (nodes.size() < 2) {
            throw new UsageException("option --nodes: a pair needs at least two node ids, got " + nodes.size());
        }
        int days = args.intValue("days", DEFAULT_DAYS, 1, 36500);
        Path dir = Path.of(dirOption).toAbsolutePath().normalize();

        Map<String, Path> nodeDirs = new LinkedHashMap<>();
        nodes.forEach(node -> nodeDirs.put(node, dir.resolve(node)));
        List<Pki.NodeMaterial> material = new Pki(days).create(dir.resolve("ca"), nodeDirs,
                addresses(args.value("addresses", ""), nodes));

        out.println("Pair CA: " + dir.resolve("ca") + " (keep ca.p12 and ca.password private; no node needs them)");
        out.println();
        for (Pki.NodeMaterial node : material) {
            out.println("Node " + node.nodeId() + ": certificate SHA-256 " + node.fingerprintSha256());
            out.println("  copy " + node.keyStore() + " and " + node.trustStore());
            out.println("    to that node's etc/tls/ (keep them mode 0600), and put into its etc/dev.colo.pair.cfg:");
            cfgLine(out, PairKeys.NODE_ID, node.nodeId());
            cfgLine(out, PairKeys.KEYSTORE_PATH, "${karaf.etc}/tls/" + Pki.NODE_KEYSTORE);
            cfgLine(out, PairKeys.KEYSTORE_PASSWORD, node.keyStorePassword());
            cfgLine(out, PairKeys.TRUSTSTORE_PATH, "${karaf.etc}/tls/" + Pki.TRUSTSTORE);
            cfgLine(out, PairKeys.TRUSTSTORE_PASSWORD, node.trustStorePassword());
            if (material.size() == 2) {
                material.stream().filter(peer -> !peer.nodeId().equals(node.nodeId())).findFirst().ifPresent(peer -> {
                    out.println("    # optional, pins the peer's certificate:");
                    cfgLine(out, PairKeys.PEER_FINGERPRINT, peer.fingerprintSha256());
                });
            }
            out.println();
        }
        return 0;
    }

    /** {@code --addresses colo-a=10.0.0.1,colo-b=b.example.org}: per node, the hosts its certificate names. */
    static Map<String, List<String>> addresses(String option, List<String> nodes) throws UsageException {
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        for (String item : option.isBlank() ? new String[0] : option.split(",")) {
            String[] parts = item.trim().split("=", 2);
            if (parts.length != 2 || !nodes.contains(parts[0].trim()) || !parts[1].trim().matches("[A-Za-z0-9.:-]+")) {
                throw new UsageException("option --addresses: '" + item.trim() + "' is not NODE=ADDRESS with NODE one of "
                        + nodes + " and ADDRESS an IP address or DNS name");
            }
            addresses.computeIfAbsent(parts[0].trim(), node -> new java.util.ArrayList<>()).add(parts[1].trim());
        }
        return addresses;
    }

    private static void cfgLine(PrintStream out, String key, String value) {
        out.println("    " + key + " = " + value);
    }
}
