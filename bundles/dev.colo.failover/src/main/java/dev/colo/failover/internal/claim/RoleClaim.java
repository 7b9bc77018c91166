package dev.colo.failover.internal.claim;

import dev.colo.api.Role;
import dev.colo.api.replication.DiskGenerations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a node tells its peer whenever the link connects and whenever its role changes: its role, when it was last
 * promoted by a failover (0: never, it was configured so), the last checkpoint epoch its disks reached, and each
 * disk's generations (DRBD's data history: {@code current} names the data the disk holds, {@code base} the data a
 * peer that stopped receiving its writes holds). Two primaries that meet settle from the data: the one with writes
 * the other lacks stays; if each has such writes, neither discards anything (split brain: an operator chooses); if
 * neither has, the one promoted later (where clients were moved) stays. An operator's resolution of a split brain
 * overrides the data: the node an operator kept says so in its claim, and its peer steps down whatever it holds
 * (DRBD's {@code --discard-my-data}, said once on the kept side). A node sends its claim again whenever one
 * of its disks comes or goes, so a claim sent while the disks were still starting is followed by a complete one.
 * Free of network code.
 *
 * <p>Wire: {@code UTF role, long promotedAt} (version 1, still read: it carries no data, so a meeting with such a
 * node is a split brain), then {@code byte 2, long epoch, short disks, (UTF name, long current, long base)*}; a kept
 * node writes {@code byte 3} and the same, then {@code boolean keptByOperator} (a version-2 node cannot read it, and
 * could not act on it either).
 *
 * @param version          the wire version the claim was read from (this node writes {@value #VERSION})
 * @param promotedAtMillis when this node last became primary by a failover (ms since 1970), 0 if never
 * @param epoch            the last checkpoint epoch its disks reached; -1 if unknown
 * @param disks            each protected disk's generations; empty from a version-1 peer
 * @param keptByOperator   this node's promotion was an operator's resolution of a split brain keeping it
 */
public record RoleClaim(int version, Role role, long promotedAtMillis, long epoch, List<Disk> disks,
        boolean keptByOperator) {
    public static final String TYPE = "failover.role";
    /** What a node that is not kept by an operator writes (readable by every version since it). */
    public static final int VERSION = 2;
    /** What a node kept by an operator writes. */
    public static final int VERSION_KEPT = 3;
    private static final int MAX_DISKS = 64;
    private static final int MAX_BYTES = 8192;

    /** One disk's generations. */
    public record Disk(String name, DiskGenerations generations) {
    }

    public RoleClaim {
        disks = List.copyOf(disks);
    }

    /** This node's claim, in the version it writes. */
    public RoleClaim(Role role, long promotedAtMillis, long epoch, List<Disk> disks, boolean keptByOperator) {
        this(keptByOperator ? VERSION_KEPT : VERSION, role, promotedAtMillis, epoch, disks, keptByOperator);
    }

    /** A claim read from a version without the operator's mark. */
    public RoleClaim(int version, Role role, long promotedAtMillis, long epoch, List<Disk> disks) {
        this(version, role, promotedAtMillis, epoch, disks, false);
    }

    /** This node's claim, not kept by an operator. */
    public RoleClaim(Role role, long promotedAtMillis, long epoch, List<Disk> disks) {
        this(role, promotedAtMillis, epoch, disks, false);
    }

    /** What a primary does on a peer's claim. */
    public enum Verdict {
        /** Nothing to settle (not both primaries). */
        NONE,
        /** Both primaries: the peer has writes this one lacks, or the same data and a later promotion: step down. */
        STEP_DOWN,
        /** Both primaries: this one has writes the peer lacks, or the same data and the later promotion: stay. */
        STAY,
        /** Both primaries, each with acknowledged writes the other lacks: neither discards anything by itself. */
        SPLIT_BRAIN,
        /** Both primaries, the same data, and neither promoted by a failover: configured so; an operator decides. */
        UNDECIDABLE,
        /** Both primaries, but a disk is named by one claim only (still starting): wait for the next claim. */
        PENDING
    }

    /** A verdict and what it rests on, for the log, the event and the MXBean. */
    public record Settlement(Verdict verdict, String reason) {
    }

    /** What this node, claiming {@code this}, must do about the peer's {@code claim}. */
    public Settlement settle(RoleClaim peer) {
        if (role != Role.PRIMARY || peer.role() != Role.PRIMARY) {
            return new Settlement(Verdict.NONE, "");
        }
        if (keptByOperator != peer.keptByOperator()) {
            return keptByOperator
                    ? new Settlement(Verdict.STAY, "an operator kept this node at a split brain (resolveSplitBrain)")
                    : new Settlement(Verdict.STEP_DOWN, "an operator kept the peer at a split brain: its data wins, "
                            + "and this node's writes that it lacks are discarded by its resynchronisation");
        }
        if (peer.version() < VERSION && !disks.isEmpty()) {
            return new Settlement(Verdict.SPLIT_BRAIN, "the peer's claim is of version " + peer.version()
                    + " and names no disk generations: what it holds cannot be compared");
        }
        List<String> onlyMine = missingFrom(disks, peer.disks());
        List<String> onlyTheirs = missingFrom(peer.disks(), disks);
        if (!onlyMine.isEmpty() || !onlyTheirs.isEmpty()) {
            return new Settlement(Verdict.PENDING, "disks named by one side only (this node: " + onlyMine
                    + ", the peer: " + onlyTheirs + "): waiting for both to name the same disks");
        }
        List<String> mine = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        for (Disk disk : disks) {
            for (Disk other : peer.disks()) {
                if (disk.name().equals(other.name())) {
                    if (disk.generations().hasWritesLackedBy(other.generations())) {
                        mine.add(disk.name());
                    }
                    if (other.generations().hasWritesLackedBy(disk.generations())) {
                        theirs.add(disk.name());
                    }
                }
            }
        }
        String epochs = "epochs: this node " + epoch + ", the peer " + peer.epoch();
        if (!mine.isEmpty() && !theirs.isEmpty()) {
            return new Settlement(Verdict.SPLIT_BRAIN, "each has writes the other lacks (this node on " + mine
                    + ", the peer on " + theirs + "; " + epochs + ")");
        }
        if (!mine.isEmpty()) {
            return new Settlement(Verdict.STAY, "this node has writes the peer lacks on " + mine + " (" + epochs + ")");
        }
        if (!theirs.isEmpty()) {
            return new Settlement(Verdict.STEP_DOWN, "the peer has writes this node lacks on " + theirs + " ("
                    + epochs + ")");
        }
        if (promotedAtMillis == peer.promotedAtMillis()) {
            return new Settlement(Verdict.UNDECIDABLE, "the same data, and both configured primary (" + epochs + ")");
        }
        boolean later = promotedAtMillis > peer.promotedAtMillis();
        return new Settlement(later ? Verdict.STAY : Verdict.STEP_DOWN, "the same data; the peer became primary "
                + (later ? "earlier" : "later") + " (at " + peer.promotedAtMillis() + " ms, this node at "
                + promotedAtMillis + " ms)");
    }

    private static List<String> missingFrom(List<Disk> these, List<Disk> others) {
        return these.stream().map(Disk::name)
                .filter(name -> others.stream().noneMatch(other -> other.name().equals(name))).toList();
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(role.configValue());
            out.writeLong(promotedAtMillis);
            out.writeByte(version == VERSION_KEPT ? VERSION_KEPT : VERSION);
            out.writeLong(epoch);
            out.writeShort(disks.size());
            for (Disk disk : disks) {
                out.writeUTF(disk.name());
                out.writeLong(disk.generations().current());
                out.writeLong(disk.generations().base());
            }
            if (version == VERSION_KEPT) {
                out.writeBoolean(keptByOperator);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IOException naming what is wrong with the payload */
    public static RoleClaim decode(byte[] payload) throws IOException {
        if (payload.length > MAX_BYTES) {
            throw new IOException(TYPE + " of " + payload.length + " bytes (at most " + MAX_BYTES + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            Role role = role(in.readUTF());
            long promotedAt = in.readLong();
            if (in.available() == 0) {
                return new RoleClaim(1, role, promotedAt, -1, List.of());
            }
            int version = in.readUnsignedByte();
            if (version != VERSION && version != VERSION_KEPT) {
                throw new IOException(TYPE + " of version " + version + " (this node reads 1 to " + VERSION_KEPT
                        + ")");
            }
            long epoch = in.readLong();
            int count = in.readUnsignedShort();
            if (count > MAX_DISKS) {
                throw new IOException(TYPE + " with " + count + " disks (at most " + MAX_DISKS + ")");
            }
            List<Disk> disks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                disks.add(new Disk(in.readUTF(), new DiskGenerations(in.readLong(), in.readLong())));
            }
            boolean kept = version == VERSION_KEPT && in.readBoolean();
            if (in.available() != 0) {
                throw new IOException(TYPE + " with " + in.available() + " bytes too many");
            }
            return new RoleClaim(version, role, promotedAt, epoch, disks, kept);
        } catch (EOFException e) {
            throw new IOException("truncated " + TYPE, e);
        }
    }

    private static Role role(String value) throws IOException {
        for (Role candidate : Role.values()) {
            if (candidate.configValue().equals(value)) {
                return candidate;
            }
        }
        throw new IOException(TYPE + " with an unknown role '" + value + "'");
    }
}
