package dev.colo.itests.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A network partition between the nodes of a local pair, made with nftables: every TCP segment to or from the
 * given ports is dropped (in a table of its own, {@value #TABLE}), so that both nodes stay alive and their
 * connections silently stop carrying anything, as when a cable is pulled. {@link #close()} removes the table.
 */
public final class LinkCut implements AutoCloseable {
    private static final String TABLE = "colo_itest_cut";

    private LinkCut() {
    }

    /** Why a cut cannot be made here (no {@code nft}, or not allowed to change the ruleset); empty if it can. */
    public static Optional<String> unavailable() {
        try {
            nft("add", "table", "inet", TABLE);
            nft("delete", "table", "inet", TABLE);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Drops every TCP segment whose source or destination port is one of {@code ports}. */
    public static LinkCut ports(int... ports) throws IOException {
        String set = Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(", ", "{ ", " }"));
        nft("add", "table", "inet", TABLE);
        LinkCut cut = new LinkCut();
        try {
            // the output hook sees both directions of loopback traffic
            nft("add", "chain", "inet", TABLE, "cut", "{ type filter hook output priority 0; policy accept; }");
            nft("add", "rule", "inet", TABLE, "cut", "tcp", "dport", set, "drop");
            nft("add", "rule", "inet", TABLE, "cut", "tcp", "sport", set, "drop");
            return cut;
        } catch (IOException e) {
            cut.close();
            throw e;
        }
    }

    /** Heals the partition. */
    @Override
    public void close() throws IOException {
        nft("delete", "table", "inet", TABLE);
    }

    private static void nft(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("nft"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("nft is not installed (apt-get install nftables): " + e.getMessage(), e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (root and CAP_NET_ADMIN are needed): "
                        + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
