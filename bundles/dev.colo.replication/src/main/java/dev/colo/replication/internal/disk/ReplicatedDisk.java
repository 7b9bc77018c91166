package dev.colo.replication.internal.disk;

import dev.colo.api.Role;
import dev.colo.api.replication.DiskGenerations;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.replication.ReplicationStatus;
import dev.colo.api.storage.BlockDevice;
import dev.colo.api.replication.CopyProgress;
import dev.colo.replication.internal.blocks.IoAction;
import dev.colo.replication.internal.generation.Generations;
import dev.colo.replication.internal.generation.LackedChanges;
import dev.colo.replication.internal.primary.PrimaryFanOut;
import dev.colo.replication.internal.primary.SecondaryReconnector;
import dev.colo.replication.internal.secondary.CommitJournal;
import dev.colo.replication.internal.secondary.FailoverCommit;
import dev.colo.replication.internal.stage.IoPolicy;
import dev.colo.replication.internal.stage.IoRoute;
import dev.colo.replication.internal.stage.StageMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replicated disk on this node: the stage machine, the I/O routing of {@link IoPolicy}, and the
 * operations. Every I/O holds the read side of a gate while it looks up its route and runs; operations
 * that change the route or the layers (start, checkpoint, failover, stop) hold the write side, so no
 * request straddles them and a checkpoint includes every acknowledged write. Its generation changes with the
 * first write the peer lacks ({@link LackedChanges}), not with the loss of the peer or a stage.
 */
public final class ReplicatedDisk implements ProtectedDisk {
    private static final Logger logger = LoggerFactory.getLogger(ReplicatedDisk.class);
    private final DiskParts parts;
    private final LackedChanges lacked;
    private final DiskListener listener;
    private final StageMachine stage;
    private final PrimaryFanOut fanOut;
    private final SecondaryReconnector reconnector;
    private volatile CopyProgress resync = CopyProgress.NONE;
    private volatile CopyProgress commit = CopyProgress.NONE;
    private String heldFor = "";
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final GuestDevice guestDevice = new GuestDevice(this);
    private final ReplicaDevice replicaDevice = new ReplicaDevice(this);
    private volatile long epoch;
    private volatile String error;
    private volatile long lastCheckpointNanos = -1;

    private ReplicatedDisk(DiskParts parts, DiskListener listener, ReplicationStage initial, long epoch) {
        this.parts = parts;
        this.lacked = new LackedChanges(parts.dirty(), parts.generations());
        this.listener = listener;
        this.epoch = epoch;
        this.stage = new StageMachine(initial, (from, to, reason) -> listener.stageChanged(from, to, this.epoch, reason));
        if (parts.role() == Role.PRIMARY) {
            this.fanOut = new PrimaryFanOut(parts.local(), lacked, parts.mode(), parts.forwardTimeout(),
                    this::degraded);
            this.reconnector = new SecondaryReconnector(parts.name(), fanOut, parts.connector(), parts.generations(),
                    parts.peer(), parts.resyncBytesPerSecond(), parts.reconnectMin(), parts.reconnectMax(),
                    reconnectListener());
        } else {
            this.fanOut = null;
            this.reconnector = null;
        }
    }

    private SecondaryReconnector.Listener reconnectListener() {
        return new SecondaryReconnector.Listener() {
            @Override
            public void resyncProgress(CopyProgress progress, boolean done) {
                resync = progress;
                listener.resyncProgress(progress, done);
            }

            @Override
            public void refused(String why) {
                if (!why.equals(error)) {
                    logger.warn("Disk {}: {}", parts.name(), why);
                }
                error = why;
            }

            @Override
            public void protecting(String how) {
                error = null;
                listener.degradedChanged(false, epoch, parts.dirty().dirtyBytes(), how);
            }
        };
    }

    /**
     * Opens a disk; on a secondary a failover commit that a crash interrupted is completed first (the
     * disk is then DONE, serving S). A secondary whose dirty bitmap still names blocks of its own (a failover
     * commit's, or writes of a primary that stepped down) holds data its generation does not describe, in blocks
     * no primary's bitmap names: it forgets its generation, so that its primary copies every block — unless its data
     * is held for an operator ({@code heldFor} not empty: a split brain), when it keeps both until {@link #release()}.
     */
    public static ReplicatedDisk open(DiskParts parts, DiskListener listener) throws IOException {
        return open(parts, listener, "");
    }

    /** {@link #open(DiskParts, DiskListener)}, its data held for an operator for the reason {@code heldFor} (if any). */
    public static ReplicatedDisk open(DiskParts parts, DiskListener listener, String heldFor) throws IOException {
        if (parts.role() == Role.SECONDARY) {
            CommitJournal finished = FailoverCommit.recover(parts.journal(), parts.layers(), parts.dirty());
            if (finished != null) {
                parts.layers().emptyOverlays();
                return new ReplicatedDisk(parts, listener, ReplicationStage.DONE, finished.epoch());
            }
            if (heldFor.isEmpty()) {
                forgetOwnChanges(parts);
            } else if (parts.dirty().dirtyBytes() > 0) {
                logger.warn("Disk {}: secondary with {} bytes changed on this node that its primary may not have, held "
                        + "for an operator ({}): its generation and its changes stay, and no primary resynchronises it "
                        + "until the hold ends", parts.name(), parts.dirty().dirtyBytes(), heldFor);
            }
        }
        ReplicatedDisk disk = new ReplicatedDisk(parts, listener, ReplicationStage.NONE, 0);
        disk.heldFor = heldFor;
        return disk;
    }

    private static void forgetOwnChanges(DiskParts parts) throws IOException {
        long own = parts.dirty().dirtyBytes();
        if (own > 0) {
            Generations forgotten = parts.generations().update(mine -> Generations.unrelated());
            parts.dirty().clearAll(); // after the generation: a crash in between still needs the full copy
            logger.warn("Disk {}: secondary with {} bytes changed on this node that its primary may not have (it "
                    + "was a primary, or began a failover): generation forgotten ({}), the primary copies every "
                    + "block", parts.name(), own, forgotten);
        }
    }

    /** Holds this disk's data for an operator: a primary's questions about its generation are refused meanwhile. */
    public synchronized void hold(String why) {
        heldFor = why;
    }

    /**
     * Ends the hold: a secondary forgets its generation first if it changed blocks of its own (as when it opens), so
     * that the first primary it answers copies every block.
     */
    public synchronized void release() throws IOException {
        if (heldFor.isEmpty()) {
            return;
        }
        if (parts.role() == Role.SECONDARY) {
            forgetOwnChanges(parts);
        }
        heldFor = "";
    }

    /** Why this disk's data is held for an operator; empty when it is not. */
    public synchronized String heldFor() {
        return heldFor;
    }

    @Override
    public String name() {
        return parts.name();
    }

    @Override
    public Role role() {
        return parts.role();
    }

    @Override
    public ReplicationStage stage() {
        return stage.current();
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    @Override
    public BlockDevice device() {
        return guestDevice;
    }

    /** The device behind this node's replication export: the primary's writes on a secondary. */
    public BlockDevice replicaDevice() {
        return replicaDevice;
    }

    DiskParts parts() {
        return parts;
    }

    LackedChanges lacked() {
        return lacked;
    }

    PrimaryFanOut fanOut() {
        return fanOut;
    }

    @Override
    public void reconnectNow() {
        if (reconnector != null) {
            reconnector.attemptNow();
        }
    }

    @Override
    public CopyProgress resync() {
        return resync;
    }

    @Override
    public CopyProgress commit() {
        return commit;
    }

    /** Stops the background work (reconnection); the files are the caller's to close. */
    public void close() {
        if (reconnector != null) {
            reconnector.close();
        }
        if (fanOut != null) {
            fanOut.detach();
        }
    }

    @Override
    public ReplicationStatus status() {
        boolean secondary = parts.layers() != null;
        return new ReplicationStatus(name(), role(), stage(), epoch,
                fanOut != null && stage() == ReplicationStage.RUNNING && !fanOut.protecting(),
                parts.dirty().dirtyBytes(),
                secondary ? parts.layers().active().allocatedBytes() : 0,
                secondary ? parts.layers().hidden().allocatedBytes() : 0, error == null ? "" : error);
    }

    @Override
    public void start() {
        withGateClosed(() -> {
            if (parts.role() == Role.SECONDARY) {
                parts.layers().emptyOverlays(); // a new epoch: nothing of the guest's or the primary's yet
                // the primary counts from our current (its own, or the base of its copy to us): a write of ours
                // after a failover must show
                parts.generations().update(mine -> mine.sharing(mine.current()));
            }
            stage.moveTo(ReplicationStage.RUNNING, "start");
            if (reconnector != null) {
                reconnector.start(); // degraded (writes recorded) until the secondary is attached
            }
        });
    }

    @Override
    public long checkpoint() {
        withGateClosed(() -> {
            requireStage(ReplicationStage.RUNNING, "checkpoint");
            long started = System.nanoTime();
            if (parts.layers() != null) {
                parts.layers().emptyOverlays();
            }
            epoch++;
            lastCheckpointNanos = System.nanoTime() - started;
        });
        return epoch;
    }

    /** How long the last checkpoint held I/O off (emptying A and H), -1 before the first. */
    public long lastCheckpointNanos() {
        return lastCheckpointNanos;
    }

    @Override
    public CompletableFuture<ReplicationStage> failover() {
        if (!stage.move(ReplicationStage.RUNNING, ReplicationStage.FAILOVER, "failover requested")
                && !stage.move(ReplicationStage.FAILOVER_FAILED, ReplicationStage.FAILOVER, "failover retried")) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "disk " + name() + " is " + stage() + ": a failover needs RUNNING (or a failed one to retry)"));
        }
        CompletableFuture<ReplicationStage> done = new CompletableFuture<>();
        Thread commit = new Thread(() -> done.complete(completeFailover()), "colo-replication-" + name() + "-failover");
        commit.setDaemon(true);
        commit.start();
        return done;
    }

    @Override
    public void stop() {
        withGateClosed(() -> {
            requireStage(ReplicationStage.RUNNING, "stop");
            if (fanOut != null) {
                reconnector.stop();
                fanOut.detach();
            } else {
                parts.layers().emptyOverlays(); // the secondary guest's writes are discarded: S is the disk
            }
            stage.moveTo(ReplicationStage.DONE, "stop");
        });
    }

    private ReplicationStage completeFailover() {
        Lock closed = gate.writeLock();
        closed.lock();
        try {
            String committed = "failover committed";
            if (fanOut != null) {
                reconnector.stop();
                fanOut.detach();
            } else {
                String where = FailoverCommit.describe(parts.layers());
                long bytes = FailoverCommit.run(parts.layers(), epoch, parts.dirty(), parts.journal(),
                        copied -> commit = copied);
                parts.layers().emptyOverlays();
                committed += " (" + bytes + " bytes of A and H into S: " + where + ")";
            }
            stage.move(ReplicationStage.FAILOVER, ReplicationStage.DONE, committed);
        } catch (IOException | RuntimeException e) {
            error = "failover commit failed: " + e.getMessage();
            stage.move(ReplicationStage.FAILOVER, ReplicationStage.FAILOVER_FAILED, error);
        } finally {
            closed.unlock();
        }
        return stage();
    }

    private void degraded(String reason) {
        error = reason;
        listener.degradedChanged(true, epoch, parts.dirty().dirtyBytes(), reason);
        reconnector.secondaryLost();
    }

    @Override
    public DiskGenerations generations() {
        Generations mine = parts.generations().get();
        return new DiskGenerations(mine.current(), mine.base());
    }

    /** The generation this disk's data has, for the peer's comparison. */
    public long currentGeneration() {
        return parts.generations().get().current();
    }

    /**
     * A secondary's primary resynchronised it: it now holds the data of generation {@code current}, provided
     * it still has the generation {@code expected} it had when the copy began.
     *
     * @throws IOException when it cannot be recorded (the primary retries)
     * @throws IllegalStateException on a primary, a secondary that is not RUNNING, or another generation
     */
    public synchronized void adoptGeneration(long expected, long current) throws IOException {
        if (parts.role() != Role.SECONDARY || stage() != ReplicationStage.RUNNING) {
            throw new IllegalStateException("disk " + name() + " is " + stage() + " as " + role().configValue()
                    + ": it does not take a generation from a primary");
        }
        parts.generations().update(mine -> {
            if (mine.current() != expected) {
                throw new IllegalStateException("disk " + name() + " has generation "
                        + Long.toHexString(mine.current()) + ", not " + Long.toHexString(expected)
                        + " that was resynchronised");
            }
            return mine.sharing(current);
        });
    }

    private void requireStage(ReplicationStage required, String operation) {
        if (stage() != required) {
            throw new IllegalStateException("disk " + name() + " is " + stage() + ": " + operation + " needs "
                    + required);
        }
    }

    /** The route of the current stage, under the read side of the gate (held by the caller). */
    IoRoute route() {
        return IoPolicy.route(stage(), parts.role());
    }

    Lock ioGate() {
        return gate.readLock();
    }

    private void withGateClosed(IoAction action) {
        Lock closed = gate.writeLock();
        closed.lock();
        try {
            action.run();
        } catch (IOException e) {
            error = e.getMessage();
            throw new UncheckedIOException(e);
        } finally {
            closed.unlock();
        }
    }
}
