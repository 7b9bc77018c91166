package dev.colo.checkpoint.internal.run;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.api.guest.GuestState;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.checkpoint.internal.faults.InjectedFaults;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs one checkpoint from the primary, in the order of DESIGN §5: begin (the secondary pauses) → pause →
 * capture and send → received (held output released) → loaded → resume. Every step is timed; any failure
 * ends the checkpoint with the step and the reason (and tells the secondary), resuming this node's guests —
 * what follows is the failover controller's decision, never a silent retry. Network-free: the peer is a
 * {@link Consumer} of messages and its replies come through {@link Replies}.
 */
public final class PrimaryCheckpoint {
    private final Consumer<CheckpointMessage> peer;
    private final Replies replies;
    private final CheckpointLocal local;
    private final Duration replyTimeout;
    private final InjectedFaults faults;
    /** The guests a completed switchover checkpoint left paused; empty otherwise. */
    private final List<ProtectedGuest> handedOver = new ArrayList<>();

    public PrimaryCheckpoint(Consumer<CheckpointMessage> peer, Replies replies, CheckpointLocal local,
            Duration replyTimeout) {
        this(peer, replies, local, replyTimeout, InjectedFaults.NONE);
    }

    /** @param faults faults an operator armed at the start of a step (fault injection) */
    public PrimaryCheckpoint(Consumer<CheckpointMessage> peer, Replies replies, CheckpointLocal local,
            Duration replyTimeout, InjectedFaults faults) {
        this.peer = peer;
        this.replies = replies;
        this.local = local;
        this.replyTimeout = replyTimeout;
        this.faults = faults;
    }

    /**
     * Resumes the guests a completed {@link CheckpointReason#SWITCHOVER} checkpoint left paused (the switchover did
     * not go ahead); returns whether there were any.
     */
    public synchronized boolean resumeHandedOver() {
        boolean any = !handedOver.isEmpty();
        handedOver.forEach(ProtectedGuest::resume);
        handedOver.clear();
        return any;
    }

    /**
     * Runs checkpoint {@code epoch}; a full one sends every guest's whole state. A completed
     * {@link CheckpointReason#SWITCHOVER} checkpoint leaves the guests paused (see {@link #resumeHandedOver()}).
     */
    public CheckpointRecord run(long epoch, boolean full, Set<CheckpointReason> reasons) throws InterruptedException {
        Run run = new Run(epoch, full, reasons);
        try {
            run.execute();
            return run.record(reasons, true, null, "");
        } catch (CheckpointFailure e) {
            peer.accept(new CheckpointMessage.Failed(epoch, e.getMessage()));
            run.resumeGuests();
            return run.record(reasons, false, e.step(), e.getMessage());
        } catch (RuntimeException e) {
            CheckpointStep step = run.current;
            String detail = "at " + step + ": " + e;
            peer.accept(new CheckpointMessage.Failed(epoch, detail));
            run.resumeGuests();
            return run.record(reasons, false, step, detail);
        }
    }

    /** The state of one checkpoint under way. */
    private final class Run {
        private final long epoch;
        private final boolean full;
        private final Set<CheckpointReason> reasons;
        private final Map<CheckpointStep, Long> stepNanos = new EnumMap<>(CheckpointStep.class);
        private final List<ProtectedGuest> paused = new ArrayList<>();
        private CheckpointStep current = CheckpointStep.REQUEST;
        private long stepStart = System.nanoTime();
        private long pausedAt;
        private long pausedNanos;
        private long stateBytes;

        Run(long epoch, boolean full, Set<CheckpointReason> reasons) {
            this.epoch = epoch;
            this.full = full;
            this.reasons = reasons;
        }

        void execute() throws InterruptedException, CheckpointFailure {
            faults.at(CheckpointStep.REQUEST, epoch);
            List<String> names = local.guestNames();
            replies.clear();
            peer.accept(new CheckpointMessage.Begin(epoch, full, names, reasons));
            replies.await(epoch, CheckpointMessage.Ready.class, CheckpointStep.REQUEST, replyTimeout);
            next(CheckpointStep.PAUSE);
            pausedAt = System.nanoTime();
            for (String name : names) {
                ProtectedGuest guest = local.guest(name).orElseThrow(
                        () -> new CheckpointFailure(CheckpointStep.PAUSE, "guest " + name + " is gone"));
                guest.pause();
                paused.add(guest);
            }
            next(CheckpointStep.CAPTURE);
            List<GuestState> states = new ArrayList<>();
            for (ProtectedGuest guest : paused) {
                states.add(guest.capture(full));
            }
            next(CheckpointStep.TRANSFER);
            for (int i = 0; i < paused.size(); i++) {
                send(paused.get(i).name(), states.get(i));
            }
            replies.await(epoch, CheckpointMessage.Received.class, CheckpointStep.TRANSFER, replyTimeout);
            next(CheckpointStep.RELEASE);
            local.released(epoch);
            next(CheckpointStep.LOAD);
            replies.await(epoch, CheckpointMessage.Loaded.class, CheckpointStep.LOAD, replyTimeout);
            for (ProtectedDisk disk : local.disks()) {
                disk.checkpoint(); // the primary's disks start the new epoch too
            }
            next(CheckpointStep.RESUME);
            if (reasons.contains(CheckpointReason.SWITCHOVER)) {
                // nothing more may be acknowledged here: the secondary takes over from exactly this state
                synchronized (PrimaryCheckpoint.this) {
                    handedOver.addAll(paused);
                }
                paused.clear();
            } else {
                resumeGuests();
            }
            next(null);
        }

        /** Sends one guest's state in pieces the peer link accepts; the last piece says it is the last. */
        private void send(String guest, GuestState state) {
            byte[] bytes = state.bytes();
            stateBytes += bytes.length;
            int offset = 0;
            do {
                int length = Math.min(CheckpointMessage.MAX_CHUNK_BYTES, bytes.length - offset);
                boolean last = offset + length == bytes.length;
                peer.accept(new CheckpointMessage.State(epoch, guest, state.full(), last,
                        Arrays.copyOfRange(bytes, offset, offset + length)));
                offset += length;
            } while (offset < bytes.length);
        }

        void resumeGuests() {
            for (ProtectedGuest guest : paused) {
                guest.resume();
            }
            if (!paused.isEmpty()) {
                pausedNanos = System.nanoTime() - pausedAt;
            }
            paused.clear();
        }

        private void next(CheckpointStep step) throws CheckpointFailure {
            long now = System.nanoTime();
            stepNanos.put(current, now - stepStart);
            stepStart = now;
            current = step;
            if (step != null) {
                faults.at(step, epoch);
            }
        }

        CheckpointRecord record(Set<CheckpointReason> reasons, boolean completed, CheckpointStep failedStep,
                String detail) {
            return new CheckpointRecord(epoch, reasons, full, completed, failedStep, detail, stepNanos, stateBytes,
                    pausedNanos);
        }
    }
}
