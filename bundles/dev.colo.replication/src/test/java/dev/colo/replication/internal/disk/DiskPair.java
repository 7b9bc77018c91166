package dev.colo.replication.internal.disk;

import dev.colo.api.Role;
import dev.colo.api.replication.ReplicationMode;
import dev.colo.api.replication.ReplicationStage;
import dev.colo.api.replication.CopyProgress;
import dev.colo.replication.internal.generation.GenerationStore;
import dev.colo.replication.internal.generation.PeerGenerations;
import dev.colo.replication.internal.secondary.SecondaryLayers;
import dev.colo.storage.DirtyBitmap;
import dev.colo.storage.Overlay;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A primary and a secondary disk in one process, linked by a {@link DirectReplicaTarget}. */
final class DiskPair implements AutoCloseable {
    static final int BLOCK = 4096;
    /** Both disks start empty together: the same generation, so the first protection copies nothing. */
    static final long INITIAL_GENERATION = 0x5eedL;

    final int size;
    final Path dir;
    final MemoryDevice primaryDisk;
    volatile MemoryDevice s;
    final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile ReplicatedDisk primary;
    volatile ReplicatedDisk secondary; // read by the primary's reconnector thread
    volatile DirectReplicaTarget link;
    /** Whether the primary can connect to the secondary (false: as if the secondary's host were gone). */
    volatile boolean reachable = true;
    /** Where new links run their requests (null: at once, in the caller's thread). */
    volatile java.util.concurrent.Executor network;
    private DirtyBitmap primaryDirty;
    private DirtyBitmap secondaryDirty;
    private Overlay hidden;
    private Overlay active;

    DiskPair(Path dir, int size) throws IOException {
        this(dir, size, size);
    }

    /** A pair whose secondary's disk has {@code secondarySize} bytes (misconfigured when they differ). */
    DiskPair(Path dir, int size, int secondarySize) throws IOException {
        this.dir = dir;
        this.size = size;
        this.primaryDisk = new MemoryDevice(size);
        this.s = new MemoryDevice(secondarySize);
        openPrimary();
        openSecondary(true);
    }

    /** The secondary's side of the generation exchange, called directly. */
    private final PeerGenerations peer = new PeerGenerations() {
        @Override
        public long peerCurrent() {
            return secondary.currentGeneration();
        }

        @Override
        public void adopt(long expected, long current) throws IOException {
            secondary.adoptGeneration(expected, current);
        }
    };

    void openPrimary() throws IOException {
        primaryDirty = DirtyBitmap.open(dir.resolve("primary.dirty"), size, BLOCK);
        primary = ReplicatedDisk.open(new DiskParts("disk0", Role.PRIMARY, primaryDisk, primaryDirty, null,
                GenerationStore.open(dir.resolve("primary.generation"), INITIAL_GENERATION),
                dir.resolve("primary.journal"), ReplicationMode.SYNC, Duration.ofSeconds(2), () -> {
                    if (!reachable) {
                        throw new IOException("secondary unreachable");
                    }
                    link = new DirectReplicaTarget(secondary.replicaDevice(), network);
                    return link;
                }, peer, 0, Duration.ofMillis(5), Duration.ofMillis(20)), listener("primary"));
    }

    /** Opens the secondary; {@code fresh} overlays are created empty, otherwise their files are kept (a restart). */
    void openSecondary(boolean fresh) throws IOException {
        openSecondary(fresh, INITIAL_GENERATION);
    }

    /**
     * The secondary's host is replaced: a new, empty S with a history of its own (no common base with the
     * primary), started; the primary finds it on its own.
     */
    void replaceSecondary() throws IOException {
        reachable = false;
        link.cut();
        secondary.close();
        crashSecondary();
        s = new MemoryDevice(size);
        java.nio.file.Files.delete(dir.resolve("secondary.generation"));
        java.nio.file.Files.delete(dir.resolve("secondary.dirty"));
        openSecondary(true, 0);
        secondary.start();
        reachable = true;
    }

    /** Why the secondary's data is held for an operator when it opens (empty: not held). */
    String secondaryHeldFor = "";

    private void openSecondary(boolean fresh, long initialGeneration) throws IOException {
        long sSize = s.sizeBytes();
        hidden = fresh ? Overlay.create(dir.resolve("hidden.img"), sSize, BLOCK)
                : Overlay.open(dir.resolve("hidden.img"), sSize, BLOCK);
        active = fresh ? Overlay.create(dir.resolve("active.img"), sSize, BLOCK)
                : Overlay.open(dir.resolve("active.img"), sSize, BLOCK);
        secondaryDirty = DirtyBitmap.open(dir.resolve("secondary.dirty"), sSize, BLOCK);
        secondary = ReplicatedDisk.open(new DiskParts("disk0", Role.SECONDARY, s, secondaryDirty,
                new SecondaryLayers(s, hidden, active),
                GenerationStore.open(dir.resolve("secondary.generation"), initialGeneration),
                dir.resolve("secondary.journal"), ReplicationMode.SYNC, Duration.ofSeconds(2), null, null, 0,
                Duration.ofMillis(5), Duration.ofMillis(20)), listener("secondary"), secondaryHeldFor);
    }

    /**
     * The primary's process dies and starts again: its disk, dirty bitmap and generations stay, its memory
     * (including whether the secondary was in sync) is gone; it starts and finds the secondary again.
     */
    void restartPrimary() throws IOException {
        primary.close();
        primaryDirty.close();
        openPrimary();
        primary.start();
    }

    /** The secondary's process dies: its files stay, its memory is gone. */
    void crashSecondary() throws IOException {
        hidden.close();
        active.close();
        secondaryDirty.close();
    }

    void start() throws InterruptedException {
        startUnprotected();
        awaitProtected();
    }

    /** Starts both disks without waiting for the primary to attach its secondary. */
    void startUnprotected() {
        secondary.start();
        primary.start();
    }

    /** Waits until the primary protects again (attached and resynchronised). */
    void awaitProtected() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (primary.status().degraded()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the primary did not protect within 10 s: " + primary.status() + " " + events);
            }
            Thread.sleep(2);
        }
    }

    boolean bothRunning() {
        return primary.stage() == ReplicationStage.RUNNING && secondary.stage() == ReplicationStage.RUNNING;
    }

    /** Waits until an event containing {@code text} was reported. */
    void awaitEvent(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (events.stream().noneMatch(e -> e.contains(text))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no event with '" + text + "' within 10 s: " + events);
            }
            Thread.sleep(2);
        }
    }

    DirtyBitmap primaryDirty() {
        return primaryDirty;
    }

    DirtyBitmap secondaryDirty() {
        return secondaryDirty;
    }

    private DiskListener listener(String who) {
        return new DiskListener() {
            @Override
            public void stageChanged(ReplicationStage from, ReplicationStage to, long epoch, String reason) {
                events.add(who + " " + from + "->" + to + " epoch " + epoch);
            }

            @Override
            public void degradedChanged(boolean degraded, long epoch, long dirtyBytes, String reason) {
                events.add(who + " degraded=" + degraded + ": " + reason);
            }

            @Override
            public void resyncProgress(CopyProgress progress, boolean done) {
                events.add(who + " resync " + progress + (done ? " done" : ""));
            }
        };
    }

    @Override
    public void close() throws IOException {
        primary.close();
        secondary.close();
        hidden.close();
        active.close();
        primaryDirty.close();
        secondaryDirty.close();
    }
}
