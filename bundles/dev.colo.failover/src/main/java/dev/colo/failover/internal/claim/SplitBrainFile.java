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
 * (which promotes it anew).
 */
public final class SplitBrainFile {
    private static final String PEER_PROMOTED_AT = "peer.promoted.at.ms=";

    private final Path file;
    private volatile String reason;
    private volatile long peerPromotedAtMillis;

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

    /** Takes the record's text: an optional first line with the peer's promotion, then the reason. */
    private void take(String text) {
        String read = text.trim();
        long promotedAt = -1;
        if (read.startsWith(PEER_PROMOTED_AT)) {
            int end = read.indexOf('\n');
            String value = read.substring(PEER_PROMOTED_AT.length(), end < 0 ? read.length() : end).trim();
            try {
                promotedAt = Long.parseLong(value);
            } catch (NumberFormatException e) {
                promotedAt = -1; // unknown: as a record that never had it
            }
            read = end < 0 ? "split brain" : read.substring(end + 1).trim();
        }
        reason = read;
        peerPromotedAtMillis = promotedAt;
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

    /** Records the split brain durably before this node acts on it, with the peer's last promotion then. */
    public void set(String why, long peerPromotedAtMillis) {
        write(PEER_PROMOTED_AT + peerPromotedAtMillis + "\n" + (why.isEmpty() ? "split brain" : why));
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
