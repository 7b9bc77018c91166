package dev.colo.replication.internal.secondary;

import dev.colo.api.replication.CopyProgress;
import dev.colo.api.storage.BlockDevice;
import dev.colo.storage.DirtyBitmap;
import dev.colo.storage.Overlay;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Failover on the secondary: S becomes exactly what the secondary guest saw. Blocks the primary changed
 * this epoch get their old content back from H unless A overrides them; A's blocks go to S. Crash-safe:
 * the overlays are made durable and a {@link CommitJournal} names their blocks before S changes; the
 * blocks are marked dirty first too, as the old primary's disk differs from S exactly there.
 */
public final class FailoverCommit {
    private FailoverCommit() {
    }

    /**
     * Commits the layers into S; the caller holds off all I/O. Returns the bytes copied into S; {@code progress} is
     * told of each block copied.
     */
    public static long run(SecondaryLayers layers, long epoch, DirtyBitmap dirty, Path journalFile,
            Consumer<CopyProgress> progress) throws IOException {
        layers.forceOverlays();
        Overlay hidden = layers.hidden();
        Overlay active = layers.active();
        CommitJournal journal = new CommitJournal(epoch, layers.sizeBytes(), active.blockBytes(),
                hidden.allocationSnapshot(), active.allocationSnapshot());
        journal.write(journalFile);
        return apply(layers, dirty, journalFile, progress);
    }

    /**
     * Completes a commit a crash interrupted, if its journal is there: the overlays are reopened with the
     * journal's allocation (their files keep their content) and the commit runs again.
     *
     * @return the journal that was completed, or null if none was pending
     */
    public static CommitJournal recover(Path journalFile, SecondaryLayers reopened, DirtyBitmap dirty)
            throws IOException {
        CommitJournal journal = CommitJournal.read(journalFile).orElse(null);
        if (journal == null) {
            return null;
        }
        if (journal.sizeBytes() != reopened.sizeBytes() || journal.blockBytes() != reopened.active().blockBytes()) {
            throw new IOException("Failover commit journal " + journalFile + " was written for " + journal.sizeBytes()
                    + " bytes in blocks of " + journal.blockBytes() + ", the disk now has " + reopened.sizeBytes()
                    + " bytes in blocks of " + reopened.active().blockBytes());
        }
        reopened.hidden().restoreAllocation(journal.hiddenBlocks());
        reopened.active().restoreAllocation(journal.activeBlocks());
        apply(reopened, dirty, journalFile, copied -> { });
        return journal;
    }

    private static long apply(SecondaryLayers layers, DirtyBitmap dirty, Path journalFile,
            Consumer<CopyProgress> progress) throws IOException {
        Overlay hidden = layers.hidden();
        Overlay active = layers.active();
        dirty.markAll(hidden.allocationSnapshot());
        dirty.markAll(active.allocationSnapshot());
        Meter meter = new Meter(bytesToCopy(hidden, active), progress);
        for (long block = hidden.nextAllocated(0); block >= 0; block = hidden.nextAllocated(block + 1)) {
            if (!active.isAllocated(block)) {
                meter.copied(copyBlock(hidden, block, layers.s()));
            }
        }
        for (long block = active.nextAllocated(0); block >= 0; block = active.nextAllocated(block + 1)) {
            meter.copied(copyBlock(active, block, layers.s()));
        }
        long copied = meter.copied;
        layers.s().flush();
        CommitJournal.delete(journalFile);
        return copied;
    }

    /** Where A's and H's blocks are (the first few offsets of each), for the log of a commit. */
    public static String describe(SecondaryLayers layers) {
        return "A at " + offsets(layers.active()) + ", H at " + offsets(layers.hidden());
    }

    private static java.util.List<Long> offsets(Overlay overlay) {
        java.util.List<Long> offsets = new java.util.ArrayList<>();
        for (long block = overlay.nextAllocated(0); block >= 0 && offsets.size() < 8;
                block = overlay.nextAllocated(block + 1)) {
            offsets.add(overlay.blockOffset(block));
        }
        return offsets;
    }

    /** H's blocks that A does not override, and A's. */
    private static long bytesToCopy(Overlay hidden, Overlay active) {
        long bytes = 0;
        for (long block = hidden.nextAllocated(0); block >= 0; block = hidden.nextAllocated(block + 1)) {
            bytes += active.isAllocated(block) ? 0 : hidden.blockLength(block);
        }
        for (long block = active.nextAllocated(0); block >= 0; block = active.nextAllocated(block + 1)) {
            bytes += active.blockLength(block);
        }
        return bytes;
    }

    /** Counts the bytes copied and reports the progress. */
    private static final class Meter {
        private final long total;
        private final Consumer<CopyProgress> progress;
        private final long startedNanos = System.nanoTime();
        private long copied;

        Meter(long total, Consumer<CopyProgress> progress) {
            this.total = total;
            this.progress = progress;
            progress.accept(new CopyProgress(total, total, 0));
        }

        void copied(int bytes) {
            copied += bytes;
            progress.accept(CopyProgress.measured(total, total - copied, copied, startedNanos, System.nanoTime()));
        }
    }

    private static int copyBlock(Overlay from, long block, BlockDevice s) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(from.blockLength(block));
        long offset = from.blockOffset(block);
        from.read(offset, data);
        s.write(offset, data.flip());
        return data.limit();
    }
}
