package dev.colo.replication.internal.primary;

import dev.colo.api.replication.CopyProgress;
import dev.colo.api.util.Threads;
import dev.colo.replication.internal.generation.GenerationStore;
import dev.colo.replication.internal.generation.Generations;
import dev.colo.replication.internal.generation.PeerGenerations;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a degraded primary back to protection on its own: while it has no secondary it tries to connect,
 * with a backoff; once connected, the secondary is attached (new writes reach it at once) and the dirty
 * blocks are copied to it, after which the pair is protected again. One thread per disk.
 */
public final class SecondaryReconnector implements AutoCloseable {
    private static final Logger logger = LoggerFactory.getLogger(SecondaryReconnector.class);

    /** Opens a connection to the secondary's replication export. */
    @FunctionalInterface
    public interface Connector {
        ReplicaTarget connect() throws IOException;
    }

    /** Told of a successful re-protection, of resynchronisation progress, and of a secondary that cannot serve. */
    public interface Listener {
        void resyncProgress(CopyProgress progress, boolean done);

        void protecting(String how);

        /** A reachable secondary that cannot protect this disk (it stays degraded), e.g. of another size. */
        void refused(String why);
    }

    private final String disk;
    private final PrimaryFanOut fanOut;
    private final Connector connector;
    private final GenerationStore generations;
    private final PeerGenerations peer;
    private final Resynchroniser resynchroniser;
    private final Listener listener;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final ScheduledExecutorService thread;
    private volatile boolean running;
    private Duration backoff;
    /** The attempt waiting for its backoff, so that an attempt asked for now replaces it rather than doubling up. */
    private ScheduledFuture<?> pending;

    public SecondaryReconnector(String disk, PrimaryFanOut fanOut, Connector connector, GenerationStore generations,
            PeerGenerations peer, long maxResyncBytesPerSecond, Duration minBackoff, Duration maxBackoff,
            Listener listener) {
        this.disk = disk;
        this.fanOut = fanOut;
        this.connector = connector;
        this.generations = generations;
        this.peer = peer;
        this.listener = listener;
        this.resynchroniser = new Resynchroniser(fanOut, maxResyncBytesPerSecond,
                progress -> listener.resyncProgress(progress, false));
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = minBackoff;
        this.thread = Executors.newSingleThreadScheduledExecutor(Threads.named("colo-replication-" + disk + "-"));
    }

    /** Starts trying now (and again whenever the secondary is dropped, see {@link #secondaryLost}). */
    public void start() {
        running = true;
        backoff = minBackoff;
        thread.execute(this::attempt);
    }

    /** An operator re-protects: tries now instead of after the backoff; nothing while a secondary is attached. */
    public void attemptNow() {
        if (running) {
            cancelPending();
            thread.execute(() -> {
                backoff = minBackoff;
                attempt();
            });
        }
    }

    private synchronized void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Stops trying; a running resynchronisation ends at its next run. */
    public void stop() {
        running = false;
    }

    /** The fan-out dropped the secondary: try again after the backoff. */
    public void secondaryLost() {
        if (running) {
            schedule();
        }
    }

    @Override
    public void close() {
        stop();
        thread.shutdownNow();
    }

    private void attempt() {
        if (!running || fanOut.target() != null) {
            return;
        }
        ReplicaTarget replica;
        Generations.SyncKind kind;
        long peerGeneration;
        try {
            replica = connector.connect();
        } catch (IOException | RuntimeException e) {
            logger.debug("Disk {}: secondary not reachable yet: {}", disk, e.getMessage());
            schedule();
            return;
        }
        long localBytes = fanOut.local().sizeBytes();
        if (replica.sizeBytes() != localBytes) {
            replica.close();
            listener.refused("the secondary's disk has " + replica.sizeBytes() + " bytes, this one " + localBytes
                    + ": they must be equal (size.bytes)");
            schedule();
            return;
        }
        try {
            peerGeneration = peer.peerCurrent();
            kind = prepare(peerGeneration);
        } catch (IOException | RuntimeException e) {
            logger.info("Disk {}: cannot compare generations with the secondary: {}", disk, e.getMessage());
            replica.close();
            schedule();
            return;
        }
        long dirtyBytes = fanOut.dirty().dirtyBytes();
        // protecting only once the secondary has every block and has taken our generation
        fanOut.attach(replica, true);
        resynchronise(replica, kind, peerGeneration, dirtyBytes);
    }

    /**
     * Compares histories: with no common base every block is marked dirty, and the peer's generation becomes
     * the base, so that a copy cut short goes on incrementally next time.
     */
    private Generations.SyncKind prepare(long peerCurrent) throws IOException {
        Generations mine = generations.get();
        Generations.SyncKind kind = mine.syncWith(peerCurrent);
        logger.info("Disk {}: secondary at generation {}, this disk {}: {}", disk, Long.toHexString(peerCurrent),
                mine, kind);
        if (kind == Generations.SyncKind.FULL) {
            fanOut.dirty().mark(0, fanOut.local().sizeBytes());
            generations.update(now -> now.basedOn(peerCurrent)); // as it is now: a write may have diverged meanwhile
        }
        return kind;
    }

    private void resynchronise(ReplicaTarget replica, Generations.SyncKind kind, long peerGeneration,
            long dirtyBytes) {
        logger.info("Disk {}: secondary attached, resynchronising {} dirty bytes ({})", disk, dirtyBytes, kind);
        try {
            CopyProgress done = resynchroniser.run(replica);
            // shared before the peer takes our current, and left so if it does not answer (it may have taken it):
            // a write it lacks from now on starts a new generation
            Generations synced = generations.shareIf(() -> fanOut.hasEverything(replica))
                    .orElseThrow(() -> new IOException("the secondary lacks blocks again"));
            peer.adopt(peerGeneration, synced.current());
            fanOut.resynchronised();
            backoff = minBackoff;
            listener.resyncProgress(done, true);
            listener.protecting(kind + ": resynchronised " + (done.totalBytes() - done.remainingBytes()) + " bytes");
        } catch (IOException e) {
            logger.warn("Disk {}: resynchronisation stopped: {}", disk, e.getMessage());
            fanOut.drop(replica, "resynchronisation failed: " + e.getMessage());
            schedule();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // an executor's task that throws dies unseen: the disk would stay degraded with its secondary attached
            logger.error("Disk {}: resynchronisation failed unexpectedly; trying again", disk, e);
            fanOut.drop(replica, "resynchronisation failed: " + e);
            schedule();
        }
    }

    private void schedule() {
        Duration delay = backoff;
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        try {
            synchronized (this) {
                cancelPending();
                pending = thread.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            // closed
        }
    }
}
