package dev.colo.checkpoint.internal.run;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.api.guest.GuestState;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.checkpoint.internal.faults.InjectedFaults;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary's side of checkpoints (DESIGN §5): on begin it pauses its guests and says ready; it collects
 * the primary's state and says received once all of it arrived (the primary then releases held output, so
 * from here the state must be loaded even if the primary dies); it loads the state, checks its disks for
 * replication errors, empties A and H, tells the proxy, says loaded and resumes. A failure says failed and
 * resumes the guests as they were; the checkpoint is over. A failure on either side, or the primary saying that
 * protection ended, makes this node's state stale: the primary goes on alone, so this node no longer holds its
 * state until the next checkpoint is loaded. Network-free; called by one thread at a time.
 */
public final class SecondaryCheckpoint {
    /** The most state one checkpoint may carry (a bound on what a peer can make this node hold). */
    public static final long MAX_STATE_BYTES = 1L << 30;
    private static final Logger logger = LoggerFactory.getLogger(SecondaryCheckpoint.class);

    private final Consumer<CheckpointMessage> peer;
    private final CheckpointLocal local;
    private final Loaded onLoaded;
    private final Stale onStale;
    private final InjectedFaults faults;
    private InFlight inFlight;
    private volatile long loadedEpoch = -1;

    /** Told of every checkpoint this node loaded: it holds the primary's state of {@code epoch} now. */
    @FunctionalInterface
    public interface Loaded {
        void loaded(long epoch, boolean full, long stateBytes, Set<CheckpointReason> reasons);
    }

    /**
     * Told when this node stops holding the primary's state: a checkpoint failed after the primary may have
     * released output, or the primary ended protection and serves on alone.
     */
    @FunctionalInterface
    public interface Stale {
        void stale(long epoch, CheckpointStep step, String why);
    }

    /**
     * The guest (the instance) each guest name loaded its last full state into: a guest restarted since (a new
     * instance, recovered from its own disk) can load only a full state.
     */
    private final Map<String, ProtectedGuest> holdingState = new HashMap<>();

    public SecondaryCheckpoint(Consumer<CheckpointMessage> peer, CheckpointLocal local) {
        this(peer, local, (epoch, full, bytes, reasons) -> { });
    }

    public SecondaryCheckpoint(Consumer<CheckpointMessage> peer, CheckpointLocal local, Loaded onLoaded) {
        this(peer, local, onLoaded, (epoch, step, why) -> { }, InjectedFaults.NONE);
    }

    public SecondaryCheckpoint(Consumer<CheckpointMessage> peer, CheckpointLocal local, Loaded onLoaded,
            Stale onStale, InjectedFaults faults) {
        this.peer = peer;
        this.local = local;
        this.onLoaded = onLoaded;
        this.onStale = onStale;
        this.faults = faults;
    }

    /** The epoch whose state was loaded last; -1 before the first. */
    public long loadedEpoch() {
        return loadedEpoch;
    }

    public boolean inProgress() {
        return inFlight != null;
    }

    public void onMessage(CheckpointMessage message) {
        if (message instanceof CheckpointMessage.Begin begin) {
            begin(begin);
        } else if (message instanceof CheckpointMessage.Failed failed && message.epoch() >= loadedEpoch
                && (inFlight == null || message.epoch() != inFlight.epoch)) {
            // the primary ended protection: it serves on alone, so what this node holds is behind it
            onStale.stale(failed.epoch(), CheckpointStep.REQUEST, "the primary: " + failed.detail());
        } else if (inFlight == null || message.epoch() != inFlight.epoch) {
            logger.debug("Checkpoint: ignoring {} of epoch {}: not under way", message.type(), message.epoch());
        } else if (message instanceof CheckpointMessage.State state) {
            state(state);
        } else if (message instanceof CheckpointMessage.Failed failed) {
            CheckpointStep step = inFlight.step;
            long epoch = inFlight.epoch;
            abandon("the primary gave it up: " + failed.detail());
            onStale.stale(epoch, step, "the primary gave it up: " + failed.detail());
        }
    }

    /**
     * Gives up the checkpoint under way, if the state was not all received (the primary died or gave up): the
     * guests resume with the state they had. Once received, a checkpoint is always loaded.
     */
    public void abandon(String why) {
        if (inFlight != null) {
            logger.warn("Checkpoint {}: abandoned ({}); the guests go on with the state they had", inFlight.epoch, why);
            inFlight.resumeGuests();
            inFlight = null;
        }
    }

    private void begin(CheckpointMessage.Begin begin) {
        abandon("checkpoint " + begin.epoch() + " begins");
        try {
            faults.at(CheckpointStep.REQUEST, begin.epoch());
        } catch (CheckpointFailure e) {
            fail(begin.epoch(), CheckpointStep.REQUEST, e.getMessage());
            return;
        }
        Optional<String> missing = local.missingDisk(begin.guests());
        if (missing.isPresent()) {
            fail(begin.epoch(), CheckpointStep.REQUEST, missing.get());
            return;
        }
        InFlight next = new InFlight(begin.epoch(), begin.full(), begin.reasons());
        for (String name : begin.guests()) {
            Optional<ProtectedGuest> guest = local.guest(name);
            if (guest.isEmpty()) {
                next.resumeGuests();
                fail(begin.epoch(), CheckpointStep.REQUEST, "no guest " + name + " on the secondary (it has "
                        + local.guestNames() + ")");
                return;
            }
            if (!begin.full() && holdingState.get(name) != guest.get()) {
                next.resumeGuests();
                fail(begin.epoch(), CheckpointStep.REQUEST, "guest " + name + " on the secondary (re)started since the "
                        + "last full checkpoint: only a full one can load into it");
                return;
            }
            guest.get().pause();
            next.paused.add(guest.get());
            next.states.put(name, new ByteArrayOutputStream());
        }
        inFlight = next;
        next.step = CheckpointStep.TRANSFER;
        peer.accept(new CheckpointMessage.Ready(begin.epoch()));
        if (next.states.isEmpty()) {
            received();
        }
    }

    private void state(CheckpointMessage.State state) {
        ByteArrayOutputStream buffer = inFlight.states.get(state.guest());
        if (buffer == null || inFlight.complete.contains(state.guest())) {
            failInFlight("state for guest " + state.guest() + ", which is not (or no longer) expected");
            return;
        }
        inFlight.bytes += state.chunk().length;
        if (inFlight.bytes > MAX_STATE_BYTES) {
            failInFlight("more than " + MAX_STATE_BYTES + " bytes of state");
            return;
        }
        buffer.writeBytes(state.chunk());
        if (state.last()) {
            inFlight.complete.add(state.guest());
            if (inFlight.complete.size() == inFlight.states.size()) {
                received();
            }
        }
    }

    /** Step 4 and 5: all state is here; it is loaded now, whatever happens to the primary. */
    private void received() {
        InFlight current = inFlight;
        try {
            faults.at(CheckpointStep.TRANSFER, current.epoch);
        } catch (CheckpointFailure e) {
            failInFlight(e.getMessage());
            return;
        }
        peer.accept(new CheckpointMessage.Received(current.epoch));
        current.step = CheckpointStep.LOAD;
        try {
            faults.at(CheckpointStep.LOAD, current.epoch);
            for (ProtectedGuest guest : current.paused) {
                guest.restore(new GuestState(current.full, current.states.get(guest.name()).toByteArray()));
                if (current.full) {
                    holdingState.put(guest.name(), guest);
                }
            }
            for (ProtectedDisk disk : local.disks()) {
                Optional<String> error = disk.error();
                if (error.isPresent()) {
                    throw new IllegalStateException("disk " + disk.name() + " has a replication error: " + error.get());
                }
                disk.checkpoint(); // empties A and H
            }
            local.loaded(current.epoch);
        } catch (RuntimeException | CheckpointFailure e) {
            failInFlight("loading failed: " + e.getMessage());
            return;
        }
        loadedEpoch = current.epoch;
        // told before the primary is: a switchover's request, right after this answer, asks what was loaded
        onLoaded.loaded(current.epoch, current.full, current.bytes, current.reasons);
        peer.accept(new CheckpointMessage.Loaded(current.epoch));
        try {
            faults.at(CheckpointStep.RESUME, current.epoch); // only a crash is armed here
        } catch (CheckpointFailure e) {
            logger.error("Checkpoint {}: {} ignored: the primary has this node's answer already", current.epoch,
                    e.getMessage());
        }
        current.resumeGuests();
        inFlight = null;
    }

    private void failInFlight(String detail) {
        long epoch = inFlight.epoch;
        CheckpointStep step = inFlight.step;
        inFlight.resumeGuests();
        inFlight = null;
        fail(epoch, step, detail);
    }

    private void fail(long epoch, CheckpointStep step, String detail) {
        logger.error("Checkpoint {} failed on the secondary at {}: {}", epoch, step, detail);
        peer.accept(new CheckpointMessage.Failed(epoch, detail));
        onStale.stale(epoch, step, "failed on this node: " + detail);
    }

    /** The checkpoint this node takes part in now. */
    private static final class InFlight {
        final long epoch;
        final boolean full;
        final Set<CheckpointReason> reasons;
        final List<ProtectedGuest> paused = new ArrayList<>();
        final Map<String, ByteArrayOutputStream> states = new LinkedHashMap<>();
        final Set<String> complete = new HashSet<>();
        long bytes;
        /** Where the checkpoint is: REQUEST (pausing), TRANSFER (receiving), LOAD (received, loading). */
        CheckpointStep step = CheckpointStep.REQUEST;

        InFlight(long epoch, boolean full, Set<CheckpointReason> reasons) {
            this.epoch = epoch;
            this.full = full;
            this.reasons = reasons;
        }

        void resumeGuests() {
            paused.forEach(ProtectedGuest::resume);
            paused.clear();
        }
    }
}
