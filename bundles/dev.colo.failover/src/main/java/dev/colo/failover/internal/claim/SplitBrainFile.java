package dev.colo.failover.internal.claim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whether this node stopped at a split brain, and why: kept in a file so that a restart does not forget that its
 * data and the peer's diverged and an operator must choose (only {@link #clear()}, by the operator's resolution,
 * ends it). It also keeps when the peer had last been promoted then, by the peer's clock: the peer claiming the
 * primary role again with that same promotion is the split brain still, not an operator's resolution on the peer
 * (which promotes it anew), and the peer's node id (as its certificate named it), which an operator may keep while
 * the link is down. Record: optional header lines {@code peer.promoted.at.ms=N} and {@code peer=ID}, then the reason.
 */
public final class SplitBrainFile {
    private static final String PEER_PROMOTED_AT = "peer.promoted.at.ms=";
    private static final String PEER = "peer=";

    private final Path file;
    private volatile String reason;
    private volatile long peerPromotedAtMillis;
    private volatile String peer = "";

    public SplitBrainFile(Path file) {
        this.file = file;
        String read;
        try {
            read = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            // unreadable: stay stopped rather than forget; the operator's resolution rewrites it
            read = "unreadable split-brain record " + file + ": " + e.getMessage();
        }
        take(read);
    }

    /** Takes the record's text: optional header lines (the peer's promotion, the peer), then the reason. */
    private void take(String text) {
        String read = text.trim();
        long promotedAt = -1;
        String peerId = "";
        while (read.startsWith(PEER_PROMOTED_AT) || read.startsWith(PEER)) {
            int end = read.indexOf('\n');
            String line = end < 0 ? read : read.substring(0, end);
            if (line.startsWith(PEER)) {
                peerId = line.substring(PEER.length()).trim();
            } else {
                try {
                    promotedAt = Long.parseLong(line.substring(PEER_PROMOTED_AT.length()).trim());
                } catch (NumberFormatException e) {
                    promotedAt = -1; // unknown: as a record that never had it
                }
            }
            read = end < 0 ? "split brain" : read.substring(end + 1).trim();
        }
        reason = read;
        peerPromotedAtMillis = promotedAt;
        peer = peerId;
    }

    public boolean active() {
        return !reason.isEmpty();
    }

    public String reason() {
        return reason;
    }

    /**
     * Whether the peer, claiming the primary role with {@code promotedAtMillis}, was kept by an operator since: it was
     * promoted again. A record that does not know the peer's promotion (written before it was kept) takes any claim.
     */
    public boolean keptThePeer(long promotedAtMillis) {
        return peerPromotedAtMillis < 0 || promotedAtMillis != peerPromotedAtMillis;
    }

    /** The peer's node id at the split brain; empty if the record predates it. */
    public String peer() {
        return peer;
    }

    /** Records the split brain with {@code peerId} durably before this node acts on it, with its promotion then. */
    public void set(String peerId, String why, long peerPromotedAtMillis) {
        write(PEER_PROMOTED_AT + peerPromotedAtMillis + "\n" + PEER + peerId + "\n"
                + (why.isEmpty() ? "split brain" : why));
    }

    public void clear() {
        write("");
    }

    private synchronized void write(String value) {
        try {
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, value, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the split brain in " + file, e);
        }
        take(value);
    }
}
