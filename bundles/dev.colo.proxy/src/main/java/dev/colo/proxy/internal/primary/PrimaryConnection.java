package dev.colo.proxy.internal.primary;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.proxy.internal.compare.DatagramComparator;
import dev.colo.proxy.internal.compare.OutputComparator;
import dev.colo.proxy.internal.compare.StreamComparator;
import dev.colo.proxy.internal.compare.Verdict;
import dev.colo.proxy.internal.config.ServiceSettings;
import dev.colo.proxy.internal.wire.Chunks;
import dev.colo.proxy.internal.wire.ProxyMessage;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One client connection (TCP) or flow (UDP, compared datagram by datagram) on the primary (DESIGN §6):
 * client input goes to the local guest and, mirrored, to
 * the secondary; the local guest's output is compared with the secondary's redirected output and released
 * to the client as it matches. A mismatch, held output older than the compare timeout, or held output at
 * the bound asks for a checkpoint (once until the next one); a checkpoint releases what is held. With no
 * secondary (degraded), output goes straight to the client. Network-free: every side is a
 * {@link ConnectionPorts} interface. Not thread-safe: its proxy calls it from one thread per connection.
 */
public final class PrimaryConnection {
    private final ServiceSettings settings;
    private final long id;
    private final ConnectionPorts.Client client;
    private final ConnectionPorts.Guest guest;
    private final Consumer<ProxyMessage> mirror;
    private final ConnectionPorts.Checkpoints checkpoints;
    private final ServicePorts.MiscompareListener miscompares;
    private final ConnectionCounters counters;
    private final OutputComparator comparator;
    private boolean protecting;
    private boolean checkpointAsked;
    private boolean mismatchSeen;
    private boolean guestPaused;
    private boolean secondaryPaused;
    /** The checkpoint epoch whose secondary output is compared; older output is dropped. */
    private long epoch;
    /** How long the oldest held output had waited at the last tick, read by the watchdog without the lock. */
    private volatile long heldForNanosAtTick;

    public PrimaryConnection(ServiceSettings settings, long id, String clientAddress, long epoch, boolean protecting,
            ConnectionPorts.Client client, ConnectionPorts.Guest guest, ServicePorts service) {
        this.comparator = settings.protocol() == ServiceSettings.Protocol.UDP ? new DatagramComparator()
                : new StreamComparator();
        this.settings = settings;
        this.id = id;
        this.client = client;
        this.guest = guest;
        this.mirror = service.mirror();
        this.checkpoints = service.checkpoints();
        this.miscompares = service.miscompares();
        this.counters = service.counters();
        this.protecting = protecting;
        this.epoch = epoch;
        if (protecting) {
            mirror.accept(new ProxyMessage.Open(settings.name(), id, clientAddress));
        }
    }

    public long id() {
        return id;
    }

    /** Client input: to the guest, and mirrored to the secondary in messages of at most 1 MiB. */
    public void clientInput(ByteBuffer data) {
        if (protecting) {
            for (ByteBuffer chunk : Chunks.of(data)) {
                mirror.accept(new ProxyMessage.Input(settings.name(), id, chunk));
            }
        }
        guest.send(data);
    }

    /** The client ended its input (a TCP half-close); it still reads the output. */
    public void clientInputEnded() {
        if (protecting) {
            mirror.accept(new ProxyMessage.InputEnd(settings.name(), id));
        }
        guest.endInput();
    }

    /** The client's connection is gone. */
    public void clientClosed() {
        if (protecting) {
            mirror.accept(new ProxyMessage.Close(settings.name(), id));
        }
        guest.close();
    }

    /** Output of this node's guest. */
    public void guestOutput(ByteBuffer data, long nowNanos) {
        counters.comparedPrimary(data.remaining());
        if (!protecting) {
            release(data, 0);
            return;
        }
        apply(comparator.primary(data, nowNanos), 0); // released at once: the secondary was ahead
    }

    /** This node's guest ended its output. */
    public void guestEnded(long nowNanos) {
        if (!protecting) {
            client.close();
            return;
        }
        apply(comparator.primaryEnd(nowNanos), 0);
    }

    /**
     * The secondary guest's output for this connection, redirected by the secondary, produced in
     * {@code outputEpoch}; output of an earlier epoch (produced before the last checkpoint) is dropped.
     */
    public void secondaryOutput(long outputEpoch, ByteBuffer data, long nowNanos) {
        if (protecting && outputEpoch == epoch) {
            long waited = comparator.heldForNanos(nowNanos);
            apply(comparator.secondary(data), waited);
        }
    }

    /** The secondary guest ended its output for this connection, in {@code outputEpoch}. */
    public void secondaryEnded(long outputEpoch) {
        if (protecting && outputEpoch == epoch) {
            apply(comparator.secondaryEnd(), 0);
        }
    }

    /**
     * The checkpoint of {@code newEpoch} made the secondary a copy of the primary: what was held is released,
     * and the compare restarts with the secondary's output of that epoch; at {@code guestMark} when the guest said
     * how many bytes it had produced for this connection at the pause (-1: it did not), else where the output read
     * so far ends.
     */
    public void checkpointReleased(long newEpoch, long guestMark, long nowNanos) {
        epoch = newEpoch;
        checkpointAsked = false;
        mismatchSeen = false;
        long waited = comparator.heldForNanos(nowNanos);
        apply(guestMark < 0 ? comparator.realign() : comparator.realign(guestMark), waited);
    }

    /**
     * Checkpoint step 4, the guests still paused: a connection that is not protected (it began, or went on, while
     * the pair was not) ends here. What it said so far is covered by the state the secondary has just received;
     * what it would say from now on would not be, and a failover would lose writes it acknowledged.
     *
     * @return whether it ended
     */
    public boolean endIfUnprotected() {
        if (protecting) {
            return false;
        }
        client.close();
        guest.close();
        return true;
    }

    /** The secondary is gone: everything held is released and output is no longer held. */
    public void unprotected(long nowNanos) {
        if (protecting) {
            long waited = comparator.heldForNanos(nowNanos);
            apply(comparator.realign(), waited);
            protecting = false;
        }
    }

    /** Called periodically: held output older than the compare timeout asks for a checkpoint. */
    public void tick(long nowNanos) {
        long heldFor = comparator.heldForNanos(nowNanos);
        heldForNanosAtTick = heldFor;
        if (protecting && !checkpointAsked && heldFor > settings.compareTimeoutMillis() * 1_000_000) {
            counters.timeout();
            ask(CheckpointReason.COMPARE_TIMEOUT, "held " + comparator.heldBytes() + " bytes for more than "
                    + settings.compareTimeoutMillis() + " ms");
        }
    }

    /** How long the oldest held output had waited at the last {@link #tick}; any thread. */
    public long heldForNanosAtTick() {
        return heldForNanosAtTick;
    }

    public long heldBytes() {
        return comparator.heldBytes();
    }

    /** @param waitedNanos how long the oldest released byte was held */
    private void apply(Verdict verdict, long waitedNanos) {
        verdict.release().forEach(data -> release(data, waitedNanos));
        if (verdict.mismatched() && !mismatchSeen) {
            mismatchSeen = true;
            counters.miscompare();
            miscompares.miscompare(id, verdict.mismatchOffset());
            ask(CheckpointReason.MISCOMPARE, "outputs differ at byte " + verdict.mismatchOffset());
        }
        applyBound();
        if (verdict.closeClient()) {
            client.close();
        }
    }

    /**
     * Held output at the bound: a checkpoint, or the guest's output is not read until it drains to half (config
     * {@code at.bound}); a secondary ahead by the bound is paused the same way.
     */
    private void applyBound() {
        long ahead = comparator.aheadBytes();
        if (ahead >= settings.maxHeldBytes() && !secondaryPaused) {
            // the secondary is ahead by the bound (its client side is not paced by a client): it stops reading
            // its guest for this connection until the primary caught up half of it
            counters.boundReached();
            secondaryPaused = true;
            mirror.accept(new ProxyMessage.Pause(settings.name(), id));
        } else if (secondaryPaused && ahead < settings.maxHeldBytes() / 2) {
            secondaryPaused = false;
            mirror.accept(new ProxyMessage.Resume(settings.name(), id));
        }
        long held = comparator.heldBytes();
        boolean full = held >= settings.maxHeldBytes();
        if (settings.atBound() == ServiceSettings.AtBound.CHECKPOINT) {
            if (full && !checkpointAsked) {
                counters.boundReached();
                ask(CheckpointReason.QUEUE_BOUND, "held " + held + " bytes, the bound is " + settings.maxHeldBytes());
            }
        } else if (full && !guestPaused) {
            counters.boundReached();
            guestPaused = true;
            guest.pauseOutput();
        } else if (guestPaused && held < settings.maxHeldBytes() / 2) {
            guestPaused = false;
            guest.resumeOutput();
        }
    }

    private void ask(CheckpointReason reason, String why) {
        if (!checkpointAsked) {
            checkpointAsked = true;
            checkpoints.request(reason, "service " + settings.name() + " connection " + id + ": " + why);
        }
    }

    private void release(ByteBuffer data, long waitedNanos) {
        counters.released(data.remaining(), waitedNanos);
        client.send(data);
    }
}
