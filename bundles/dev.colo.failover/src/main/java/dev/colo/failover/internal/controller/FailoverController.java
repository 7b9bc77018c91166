package dev.colo.failover.internal.controller;

import dev.colo.api.Role;
import dev.colo.api.failover.FailoverState;
import dev.colo.api.management.FailoverProgress;
import dev.colo.api.management.FailoverSummary;
import dev.colo.api.replication.CopyProgress;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.util.Threads;
import dev.colo.failover.internal.config.FailoverSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this secondary the primary (DESIGN §8), free of OSGi: NONE → REQUESTED (the fencing policy is
 * consulted) → ACTIVE (every protected disk commits A and H into S) → this node's role becomes primary → the
 * takeover command → COMPLETED; anything that fails ends in FAILED and the node stays the secondary. Every
 * transition is a compare-and-set: a request while one is under way is refused as already active. A primary heard
 * again while the fencing ran was not fenced (the command reported success, or there is none, and the primary is
 * back): the failover ends there, unless an operator forced it, rather than make a second primary.
 */
public final class FailoverController implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(FailoverController.class);

    /** What the controller acts on. */
    public interface Node {
        Role role();

        List<ProtectedDisk> disks();

        /** Changes this node's configured role to primary (everything that depends on it restarts so). */
        void becomePrimary() throws Exception;
    }

    /** Runs a shell command; returns its exit status, or -1 when it ran longer than {@code timeout}. */
    @FunctionalInterface
    public interface Shell {
        int run(String command, Duration timeout) throws Exception;
    }

    /** Told of every state change. */
    @FunctionalInterface
    public interface Listener {
        void changed(FailoverState previous, FailoverState current, long elapsedMillis, String reason);
    }

    private volatile FailoverSettings settings;
    private final Node node;
    private final Shell shell;
    private final Listener listener;
    private final AtomicReference<FailoverState> state = new AtomicReference<>(FailoverState.NONE);
    private final ExecutorService thread = Executors.newSingleThreadExecutor(Threads.named("colo-failover-"));
    private volatile FailoverSummary last = FailoverSummary.NONE;
    private volatile long startedNanos;
    private volatile String step = "";
    /** The peer was heard while a failover was REQUESTED (its fencing under way). */
    private volatile boolean heardWhileFencing;

    /** Why a failover was asked for, which decides what it may skip or must check. */
    private enum Mode {
        /** Failure detection or an operator: fenced, and ended if the primary is heard again meanwhile. */
        FENCED,
        /** An operator forced it: fenced, and carried through even if the primary is heard again. */
        FORCED,
        /** A planned switchover: the old primary demotes itself, no fencing. */
        SWITCHOVER
    }

    public FailoverController(FailoverSettings settings, Node node, Shell shell, Listener listener) {
        this.settings = settings;
        this.node = node;
        this.shell = shell;
        this.listener = listener;
    }

    public FailoverState state() {
        return state.get();
    }

    public FailoverSummary last() {
        return last;
    }

    public FailoverSettings settings() {
        return settings;
    }

    /** The running (or last) failover: its step, and its disks' commit summed. */
    public FailoverProgress progress() {
        FailoverState now = state.get();
        boolean running = now == FailoverState.REQUESTED || now == FailoverState.ACTIVE;
        CopyProgress commit = node.disks().stream().map(ProtectedDisk::commit)
                .reduce(CopyProgress.NONE, CopyProgress::plus);
        return new FailoverProgress(now.name(), running ? step : "", commit.percent(), commit.etaSeconds(),
                commit.remainingBytes(), running ? elapsedMillis() : last.durationMillis());
    }

    /** New settings apply from the next request on (one under way keeps what it started with). */
    public void reconfigure(FailoverSettings newSettings) {
        settings = newSettings;
    }

    /**
     * Asks for a failover (for {@code reason}); it runs on the controller's thread.
     *
     * @return {@code requested}, or why it was refused
     */
    public String request(String reason) {
        return request(reason, Mode.FENCED);
    }

    /** Asks for a failover that goes on even if the primary is heard again while it is fenced (an operator's force). */
    public String requestForced(String reason) {
        return request(reason, Mode.FORCED);
    }

    /** The peer was heard (its health became ALIVE): a failover whose fencing is under way must not make a primary. */
    public void peerHeard() {
        if (state.get() == FailoverState.REQUESTED) {
            heardWhileFencing = true;
        }
    }

    /**
     * Asks for the failover of a planned switchover: the old primary said it completed its last checkpoint, keeps
     * its guests paused and demotes itself, so no fencing is needed (or wanted: it would act on a live node).
     */
    public String requestSwitchover(String reason) {
        return request(reason, Mode.SWITCHOVER);
    }

    private String request(String reason, Mode mode) {
        Role role = node.role();
        if (role != Role.SECONDARY) {
            return "refused: this node is " + (role == null ? "not configured (no valid pair configuration)"
                    : "the " + role.configValue()) + ", not the secondary";
        }
        FailoverState current = state.get();
        if (current == FailoverState.REQUESTED || current == FailoverState.ACTIVE) {
            return "refused: a failover is already active (" + current + ")";
        }
        if (!state.compareAndSet(current, FailoverState.REQUESTED)) {
            return "refused: a failover is already active (" + state.get() + ")";
        }
        startedNanos = System.nanoTime();
        heardWhileFencing = false;
        last = new FailoverSummary(Instant.now().toString(), 0, reason, FailoverState.REQUESTED.name(), "");
        listener.changed(current, FailoverState.REQUESTED, 0, reason);
        logger.warn("Failover requested: {}", reason);
        thread.execute(() -> run(reason, mode));
        return "requested";
    }

    private void run(String reason, Mode mode) {
        FailoverSettings settings = this.settings;
        boolean switchover = mode == Mode.SWITCHOVER;
        try {
            step = "fencing";
            if (!switchover) {
                fence(settings);
            }
            if (mode == Mode.FENCED && heardWhileFencing) {
                throw new FailoverRefused("the primary was heard again while it was fenced ("
                        + (settings.fencing() == FailoverSettings.Fencing.NONE ? "fencing none"
                        : "the fencing command reported success") + "): it was not stopped, and taking over would "
                        + "make a second primary; should it die, the next failure detection asks again "
                        + "(forceFailover takes over regardless)");
            }
            move(FailoverState.REQUESTED, FailoverState.ACTIVE, switchover ? "switchover: the old primary stepped down"
                    : settings.fencing() == FailoverSettings.Fencing.NONE ? "no fencing configured"
                    : "the old primary is fenced");
            step = "committing the disks";
            commitDisks(settings);
            step = "becoming the primary";
            node.becomePrimary();
            step = "takeover command";
            takeover(settings);
            finish(FailoverState.COMPLETED, reason, "");
            logger.warn("Failover completed in {} ms: this node is the primary", elapsedMillis());
        } catch (Exception e) {
            String detail = e instanceof FailoverRefused ? e.getMessage() : e.toString();
            logger.error("Failover failed after {} ms: {}; this node stays the secondary", elapsedMillis(), detail);
            finish(FailoverState.FAILED, reason, detail);
        }
    }

    private void fence(FailoverSettings settings) throws Exception {
        if (settings.fencing() == FailoverSettings.Fencing.NONE) {
            logger.error("FENCING IS OFF (fencing = none): if the primary is alive but unreachable, it goes on serving "
                    + "while this node takes over — two primaries. Configure fencing = command in {}.cfg",
                    FailoverSettings.PID);
            return;
        }
        int exit = shell.run(settings.fencingCommand(), Duration.ofMillis(settings.fencingTimeoutMillis()));
        if (exit != 0) {
            throw new FailoverRefused("the fencing command " + (exit < 0 ? "did not finish within "
                    + settings.fencingTimeoutMillis() + " ms" : "exited " + exit) + " (" + settings.fencingCommand()
                    + "): the old primary may still serve, so this node does not");
        }
    }

    private void commitDisks(FailoverSettings settings) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.commitTimeoutMillis());
        for (ProtectedDisk disk : node.disks()) {
            long left = Math.max(1, deadline - System.nanoTime());
            ReplicationStage stage = disk.failover().get(left, TimeUnit.NANOSECONDS);
            if (stage != ReplicationStage.DONE) {
                throw new FailoverRefused("disk " + disk.name() + " ended its commit in " + stage
                        + disk.error().map(error -> ": " + error).orElse(""));
            }
        }
    }

    private void takeover(FailoverSettings settings) throws Exception {
        if (!settings.takeoverCommand().isEmpty()) {
            int exit = shell.run(settings.takeoverCommand(), Duration.ofMillis(settings.fencingTimeoutMillis()));
            if (exit != 0) {
                // the node is the primary already; clients may not find it: say so, loudly
                logger.error("The takeover command exited {} ({}): clients may not reach this new primary", exit,
                        settings.takeoverCommand());
            }
        }
    }

    private void move(FailoverState from, FailoverState to, String why) {
        if (state.compareAndSet(from, to)) {
            listener.changed(from, to, elapsedMillis(), why);
        }
    }

    private void finish(FailoverState end, String reason, String detail) {
        FailoverState from = state.getAndSet(end);
        last = new FailoverSummary(last.startedAt(), elapsedMillis(), reason, end.name(), detail);
        listener.changed(from, end, elapsedMillis(), detail.isEmpty() ? reason : detail);
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** A failover that must not go on, with the reason. */
    private static final class FailoverRefused extends Exception {
        private static final long serialVersionUID = 1L;

        FailoverRefused(String message) {
            super(message);
        }
    }
}
