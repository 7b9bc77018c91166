package dev.colo.checkpoint.internal.coordinator;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointOutcome;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointRequests;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.replication.ReplicationStatus;
import dev.colo.api.util.Threads;
import dev.colo.checkpoint.internal.config.CheckpointSettings;
import dev.colo.checkpoint.internal.faults.InjectedFaults;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import dev.colo.checkpoint.internal.run.CheckpointHistory;
import dev.colo.checkpoint.internal.run.CheckpointLocal;
import dev.colo.checkpoint.internal.run.CheckpointRecord;
import dev.colo.checkpoint.internal.run.PrimaryCheckpoint;
import dev.colo.checkpoint.internal.run.Replies;
import dev.colo.checkpoint.internal.run.SecondaryCheckpoint;
import dev.colo.checkpoint.internal.schedule.CheckpointScheduler;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint coordinator of one node, free of OSGi. On the primary it schedules and runs checkpoints
 * while the peer is ALIVE and a guest runs; the pair is protected from the first completed full checkpoint
 * until one fails (then the next is full again), and {@link Protection} is told of every change (the
 * component then offers or withdraws {@link CheckpointRequests}, which is what makes the proxy compare). On
 * the secondary it answers the primary's checkpoints, in order, on its own thread.
 */
public final class CheckpointCoordinator implements CheckpointRequests, AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(CheckpointCoordinator.class);

    /** Told when protection starts or ends, and of every checkpoint (on the secondary: every one it loaded). */
    public interface Protection {
        void protecting(boolean now);

        void checkpointed(CheckpointRecord record);

        /** Secondary: the primary's state of {@code epoch} is loaded here. */
        default void loaded(long epoch, boolean full, long stateBytes, Set<CheckpointReason> reasons) {
        }

        /** Secondary: this node no longer holds the primary's state (see {@link SecondaryCheckpoint.Stale}). */
        default void stale(long epoch, CheckpointStep step, String why) {
        }
    }

    private final Role role;
    private final CheckpointSettings settings;
    private final CheckpointLocal local;
    private final Protection protection;
    private final CheckpointHistory history = new CheckpointHistory();
    private final Replies replies = new Replies();
    private final PrimaryCheckpoint primary;
    private final CheckpointScheduler scheduler;
    private final SecondaryCheckpoint secondary;
    private final ExecutorService secondaryThread;
    private final Consumer<CheckpointMessage> peer;
    private volatile PeerHealth peerHealth;
    private volatile boolean protecting;
    private volatile long epoch = -1;
    /** A switchover checkpoint completed: the guests stay paused, no checkpoint runs, the secondary takes over. */
    private volatile boolean handedOver;
    /** Written by the scheduler's thread only; read too by the thread that ends protection (its message). */
    private volatile long nextEpoch;

    /**
     * @param lastEpoch the last epoch this node completed or loaded before (0 if none): epochs go on from there
     *                  across restarts and failovers, so that no two checkpoints of the pair share a number
     */
    public CheckpointCoordinator(Role role, CheckpointSettings settings, Consumer<CheckpointMessage> peer,
            CheckpointLocal local, PeerHealth peerHealth, Protection protection, long lastEpoch) {
        this(role, settings, peer, local, peerHealth, protection, lastEpoch, InjectedFaults.NONE);
    }

    /** @param faults faults an operator armed at checkpoint steps (fault injection; {@link InjectedFaults#NONE}) */
    public CheckpointCoordinator(Role role, CheckpointSettings settings, Consumer<CheckpointMessage> peer,
            CheckpointLocal local, PeerHealth peerHealth, Protection protection, long lastEpoch,
            InjectedFaults faults) {
        this.role = role;
        this.peer = peer;
        this.nextEpoch = lastEpoch + 1;
        this.epoch = lastEpoch > 0 ? lastEpoch : -1;
        this.settings = settings;
        this.local = local;
        this.protection = protection;
        this.peerHealth = peerHealth;
        if (role == Role.PRIMARY) {
            primary = new PrimaryCheckpoint(peer, replies, local, Duration.ofMillis(settings.replyTimeoutMillis()),
                    faults);
            scheduler = new CheckpointScheduler(role.configValue(), settings.intervalMillis(),
                    settings.minGapMillis(), this::runCheckpoint);
            secondary = null;
            secondaryThread = null;
        } else {
            primary = null;
            scheduler = null;
            secondary = new SecondaryCheckpoint(peer, local, protection::loaded, protection::stale, faults);
            secondaryThread = Executors.newSingleThreadExecutor(Threads.named("colo-checkpoint-secondary-"));
        }
    }

    public void start() {
        if (scheduler != null) {
            scheduler.start();
            protectIfPossible();
        }
    }

    public Role role() {
        return role;
    }

    public CheckpointSettings settings() {
        return settings;
    }

    public CheckpointHistory history() {
        return history;
    }

    public boolean isProtecting() {
        return protecting;
    }

    /** This node's last completed epoch (on a secondary: the last loaded), across restarts; -1 before the first. */
    public long epoch() {
        return role == Role.PRIMARY ? epoch : Math.max(epoch, secondary.loadedEpoch());
    }

    @Override
    public CompletableFuture<CheckpointOutcome> request(CheckpointReason reason, String detail) {
        if (scheduler == null) {
            return CompletableFuture.completedFuture(new CheckpointOutcome(-1, false,
                    "this node is the secondary: checkpoints are run by the primary"));
        }
        logger.debug("Checkpoint requested: {} {}", reason, detail);
        return scheduler.request(reason);
    }

    /** A message of the peer's coordinator. */
    public void peerMessage(CheckpointMessage message) {
        if (role == Role.PRIMARY) {
            replies.offer(message);
        } else {
            secondaryThread.execute(() -> secondary.onMessage(message));
        }
    }

    /** The failure detector's view of the peer changed. */
    public void peerHealth(PeerHealth now) {
        PeerHealth before = peerHealth;
        peerHealth = now;
        if (role == Role.SECONDARY) {
            if (now == PeerHealth.DEAD) {
                secondaryThread.execute(() -> secondary.abandon("the primary is DEAD"));
            }
        } else if (now == PeerHealth.DEAD || now == PeerHealth.UNKNOWN) {
            // not on SUSPECTED: the proxy holds output meanwhile, and a secondary that is only slow must not find
            // the primary answering clients with state it does not have
            setProtecting(false, "the secondary is " + now);
        } else if (now == PeerHealth.ALIVE && before != PeerHealth.ALIVE) {
            protectIfPossible();
        }
    }

    /** A guest came or went: protection needs one (and, when one comes, a full checkpoint). */
    public void guestsChanged() {
        if (role == Role.PRIMARY) {
            if (local.guestNames().isEmpty()) {
                setProtecting(false, "no guest runs on this node");
            } else {
                protectIfPossible();
            }
        }
    }

    private void protectIfPossible() {
        if (!protecting && peerHealth == PeerHealth.ALIVE && !local.guestNames().isEmpty()) {
            scheduler.request(CheckpointReason.PROTECT);
        }
    }

    /** Runs on the scheduler's thread. */
    private CheckpointOutcome runCheckpoint(Set<CheckpointReason> reasons) {
        // a SUSPECTED secondary of a protected pair is still asked: if it is gone, the checkpoint fails, which ends
        // protection; protection only starts with an ALIVE one
        boolean reachable = peerHealth == PeerHealth.ALIVE || (protecting && peerHealth == PeerHealth.SUSPECTED);
        if (!reachable) {
            return new CheckpointOutcome(-1, false, "no checkpoint: the secondary is " + peerHealth);
        }
        if (local.guestNames().isEmpty()) {
            return new CheckpointOutcome(-1, false, "no checkpoint: no guest runs on this node");
        }
        if (handedOver) {
            return new CheckpointOutcome(-1, false, "no checkpoint: this primary handed over to its secondary");
        }
        if (reasons.contains(CheckpointReason.SWITCHOVER) && !protecting) {
            return new CheckpointOutcome(-1, false, "no switchover: the pair is not protected");
        }
        Optional<String> missing = local.missingDisk(local.guestNames());
        if (missing.isPresent()) {
            setProtecting(false, missing.get());
            return new CheckpointOutcome(-1, false, "no checkpoint: " + missing.get());
        }
        for (ProtectedDisk disk : local.disks()) {
            ReplicationStatus status = disk.status();
            if (status.degraded() || status.dirtyBytes() > 0) {
                // the secondary's disk is not the primary's (yet): its guest could not go on from this checkpoint,
                // and the output held for it would wait for nothing; the pair is not protected until it is
                String why = "disk " + disk.name() + " is " + (status.degraded() ? "without its secondary"
                        : "resynchronising") + " (" + status.dirtyBytes() + " bytes to copy)";
                setProtecting(false, why);
                return new CheckpointOutcome(-1, false, "no checkpoint: " + why);
            }
        }
        long current = nextEpoch++;
        boolean full = !protecting;
        Set<CheckpointReason> why = reasons;
        if (full && !reasons.contains(CheckpointReason.PROTECT)) {
            why = EnumSet.copyOf(reasons);
            why.add(CheckpointReason.PROTECT); // whatever asked, a full one is what (re)starts protection
        }
        CheckpointRecord record;
        try {
            record = primary.run(current, full, why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CheckpointOutcome(current, false, "interrupted (the coordinator is stopping)");
        }
        history.add(record);
        protection.checkpointed(record);
        if (record.completed()) {
            epoch = current;
            setProtecting(true, "checkpoint " + current + " completed");
            if (why.contains(CheckpointReason.SWITCHOVER)) {
                handedOver = true;
                logger.warn("Checkpoint {}: the last of this primary before a switchover; its guests stay paused",
                        current);
            }
        } else if (full && record.failedStep() == CheckpointStep.REQUEST) {
            // not protected yet: the secondary's coordinator may still be starting; the next one tries again
            logger.warn("Checkpoint {} ({}) could not start: {}; the pair is not protected yet, the next checkpoint "
                    + "tries again", current, CheckpointHistory.reasons(record), record.detail());
        } else {
            logger.error("Checkpoint {} ({}) failed at {}: {}", current, CheckpointHistory.reasons(record),
                    record.failedStep(), record.detail());
            setProtecting(false, "checkpoint " + current + " failed at " + record.failedStep());
        }
        return new CheckpointOutcome(current, record.completed(), record.detail());
    }

    @Override
    public void resumeAfterHandOver(String why) {
        if (primary != null && primary.resumeHandedOver()) {
            handedOver = false;
            logger.warn("Switchover abandoned ({}): this primary's guests resume", why);
            // the secondary may have started to take over: it must not hold this state any longer
            setProtecting(false, "switchover abandoned: " + why);
        }
    }

    private synchronized void setProtecting(boolean now, String why) {
        if (protecting != now) {
            protecting = now;
            if (now) {
                logger.info("Checkpoints: the pair is protected ({})", why);
            } else {
                logger.warn("Checkpoints: the pair is NOT protected ({}); the next checkpoint sends the full state",
                        why);
                // before any output goes out uncompared: the secondary must not take over with state now behind
                peer.accept(new CheckpointMessage.Failed(Math.max(0, nextEpoch - 1), "protection ended: " + why));
            }
            protection.protecting(now);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (secondaryThread != null) {
            secondaryThread.shutdownNow();
        }
        if (!handedOver) {
            setProtecting(false, "the coordinator stops");
        }
        // handed over: the secondary takes over from the last checkpoint, and this node demotes itself; telling it
        // that protection ended would make it refuse, and these guests stay paused, so nothing goes out uncompared
    }
}
