package dev.colo.itests.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A network partition between the nodes of a pair, made with nftables in a table of its own ({@value #TABLE}),
 * so that both nodes stay alive and their connections silently stop carrying anything, as when a cable is
 * pulled: on one host, every TCP segment to or from the given ports is dropped; across network namespaces,
 * everything through one node's end of the pair link. {@link #close()} removes the table.
 */
public final class LinkCut implements AutoCloseable {
    private static final String TABLE = "colo_itest_cut";
    private final List<String> nft;

    private LinkCut(List<String> nft) {
        this.nft = nft;
    }

    /** Why a cut cannot be made here (no {@code nft}, or not allowed to change the ruleset); empty if it can. */
    public static Optional<String> unavailable() {
        LinkCut probe = new LinkCut(List.of("nft"));
        try {
            probe.nft("add", "table", "inet", TABLE);
            probe.nft("delete", "table", "inet", TABLE);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** On one host: drops every TCP segment whose source or destination port is one of {@code ports}. */
    public static LinkCut ports(int... ports) throws IOException {
        String set = Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(", ", "{ ", " }"));
        // the output hook sees both directions of loopback traffic
        return new LinkCut(List.of("nft")).make("output", List.of("tcp dport " + set, "tcp sport " + set));
    }

    /** On one host: drops every TCP segment sent to one of {@code ports}, one direction of their connections. */
    public static LinkCut toPorts(int... ports) throws IOException {
        String set = Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(", ", "{ ", " }"));
        return new LinkCut(List.of("nft")).make("output", List.of("tcp dport " + set));
    }

    /** In network namespace {@code netns}: drops everything in and out of {@code device}. */
    public static LinkCut device(String netns, String device) throws IOException {
        LinkCut cut = new LinkCut(List.of("ip", "netns", "exec", netns, "nft"));
        cut.make("output", List.of("oifname " + device));
        try {
            cut.chain("input", List.of("iifname " + device));
        } catch (IOException e) {
            cut.close();
            throw e;
        }
        return cut;
    }

    private LinkCut make(String hook, List<String> matches) throws IOException {
        nft("add", "table", "inet", TABLE);
        try {
            chain(hook, matches);
            return this;
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void chain(String hook, List<String> matches) throws IOException {
        nft("add", "chain", "inet", TABLE, hook, "{ type filter hook " + hook + " priority 0; policy accept; }");
        for (String match : matches) {
            List<String> rule = new ArrayList<>(List.of("add", "rule", "inet", TABLE, hook));
            rule.addAll(List.of(match.split(" (?![^{]*})")));
            rule.add("drop");
            nft(rule.toArray(new String[0]));
        }
    }

    /** Heals the partition. */
    @Override
    public void close() throws IOException {
        nft("delete", "table", "inet", TABLE);
    }

    private void nft(String... args) throws IOException {
        List<String> command = new ArrayList<>(nft);
        command.addAll(List.of(args));
        try {
            Processes.require(command);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (nftables installed? root and CAP_NET_ADMIN are needed)", e);
        }
    }
}
