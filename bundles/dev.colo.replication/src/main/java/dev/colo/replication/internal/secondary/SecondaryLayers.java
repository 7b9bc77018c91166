package dev.colo.replication.internal.secondary;

import dev.colo.api.storage.BlockDevice;
import dev.colo.replication.internal.blocks.BlockLocks;
import dev.colo.replication.internal.blocks.IoAction;
import dev.colo.storage.DirectBufferPool;
import dev.colo.storage.Overlay;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The secondary's three layers of one disk, as QEMU's block replication keeps them: S receives the
 * primary's writes, after the old content of each block was copied into the hidden overlay H (once per
 * epoch); the secondary guest writes into the active overlay A and reads A, else H, else S — that is,
 * "S as of the last checkpoint, plus its own writes". The caller serialises epochs (no I/O while
 * {@link #emptyOverlays} runs); blocks are locked here so that a copy-before-write and a read of the same
 * block never interleave.
 */
public final class SecondaryLayers {
    private final BlockDevice s;
    private final Overlay hidden;
    private final Overlay active;
    /** Largest run of old blocks copied at once (a nbdcopy or hypervisor request is 256 KiB to 1 MiB). */
    private static final int COPY_BUFFER_BYTES = 1 << 20;

    private final BlockLocks locks = new BlockLocks();
    private final DirectBufferPool copyBuffers = new DirectBufferPool(COPY_BUFFER_BYTES, 16);

    public SecondaryLayers(BlockDevice s, Overlay hidden, Overlay active) {
        if (hidden.sizeBytes() != s.sizeBytes() || active.sizeBytes() != s.sizeBytes()) {
            throw new IllegalArgumentException("S, H and A differ in size: " + s.sizeBytes() + ", "
                    + hidden.sizeBytes() + ", " + active.sizeBytes());
        }
        if (hidden.blockBytes() != active.blockBytes()) {
            throw new IllegalArgumentException("H and A differ in block size");
        }
        this.s = s;
        this.hidden = hidden;
        this.active = active;
    }

    public BlockDevice s() {
        return s;
    }

    public Overlay hidden() {
        return hidden;
    }

    public Overlay active() {
        return active;
    }

    public long sizeBytes() {
        return s.sizeBytes();
    }

    /** A write from the primary: keeps the old content of its blocks in H (first time this epoch), then S. */
    public void replicaWrite(long offset, ByteBuffer src) throws IOException {
        replicaChange(offset, src.remaining(), () -> s.write(offset, src));
    }

    /** WRITE_ZEROES from the primary, with copy-before-write like a write. */
    public void replicaWriteZeroes(long offset, long length) throws IOException {
        replicaChange(offset, length, () -> s.writeZeroes(offset, length));
    }

    /** TRIM from the primary: S may lose the old content, so it is kept in H first. */
    public void replicaTrim(long offset, long length) throws IOException {
        replicaChange(offset, length, () -> s.trim(offset, length));
    }

    /** The secondary guest's view: A if allocated, else H if allocated, else S, block by block. */
    public void layeredRead(long offset, ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return;
        }
        try (BlockLocks.Held held = lockRange(offset, dst.remaining())) {
            readLayers(offset, dst);
        }
    }

    /** A write of the secondary guest: into A; a partly written block is first filled from the view. */
    public void activeWrite(long offset, ByteBuffer src) throws IOException {
        if (!src.hasRemaining()) {
            return;
        }
        try (BlockLocks.Held held = lockRange(offset, src.remaining())) {
            long end = offset + src.remaining();
            long position = offset;
            while (position < end) {
                long block = active.blockOf(position);
                long blockStart = active.blockOffset(block);
                int blockLength = active.blockLength(block);
                if (position == blockStart && end >= blockStart + blockLength) {
                    // a run of whole blocks goes to A as it is
                    long runEnd = blockStart + (end - blockStart) / active.blockBytes() * active.blockBytes();
                    runEnd = Math.min(Math.max(runEnd, blockStart + blockLength), sizeBytes());
                    int n = (int) (runEnd - position);
                    active.write(position, src.slice(src.position(), n));
                    src.position(src.position() + n);
                    position = runEnd;
                } else {
                    int n = (int) (Math.min(end, blockStart + blockLength) - position);
                    patchBlock(block, position, src.slice(src.position(), n));
                    src.position(src.position() + n);
                    position += n;
                }
            }
        }
    }

    /** WRITE_ZEROES of the secondary guest: zeroes written into A. */
    public void activeWriteZeroes(long offset, long length) throws IOException {
        ByteBuffer zeroes = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        long position = offset;
        long end = offset + length;
        while (position < end) {
            int n = (int) Math.min(zeroes.capacity(), end - position);
            activeWrite(position, zeroes.clear().limit(n));
            position += n;
        }
    }

    /**
     * Checkpoint: A and H are emptied (their bitmaps cleared, in time proportional to what they held); S is
     * the disk again. The files keep their space: truncating a file takes time proportional to what it
     * holds (seconds with dirty pages), which a checkpoint — the guests paused — must not wait for. They
     * grow at most to the disk's size, which they must be able to hold anyway (an epoch may touch every
     * block), and start empty again when the node restarts.
     */
    public void emptyOverlays() {
        active.empty();
        hidden.empty();
    }

    /** Makes A and H durable (before a failover commit journal refers to them). */
    public void forceOverlays() throws IOException {
        active.force();
        hidden.force();
    }

    private void replicaChange(long offset, long length, IoAction change) throws IOException {
        if (length == 0) {
            change.run();
            return;
        }
        try (BlockLocks.Held held = lockRange(offset, length)) {
            copyBeforeWrite(hidden.blockOf(offset), hidden.blockOf(offset + length - 1));
            change.run();
        }
    }

    /**
     * Copies the blocks of S not yet in H into H, a run of consecutive ones (at most a pooled buffer's worth)
     * at a time, through reused direct buffers: this is on the path of every replicated write.
     */
    private void copyBeforeWrite(long first, long last) throws IOException {
        long maxRunBlocks = Math.max(1, COPY_BUFFER_BYTES / hidden.blockBytes());
        long block = first;
        while (block <= last) {
            if (hidden.isAllocated(block)) {
                block++;
                continue;
            }
            long runEnd = block;
            while (runEnd + 1 <= last && runEnd + 1 - block < maxRunBlocks && !hidden.isAllocated(runEnd + 1)) {
                runEnd++;
            }
            long start = hidden.blockOffset(block);
            long end = hidden.blockOffset(runEnd) + hidden.blockLength(runEnd);
            ByteBuffer old = copyBuffers.acquire(); // a run is at most a buffer long (block sizes are ≤ 1 MiB)
            try {
                old.clear().limit((int) (end - start));
                s.read(start, old);
                hidden.write(start, old.flip());
            } finally {
                copyBuffers.release(old);
            }
            block = runEnd + 1;
        }
    }

    /** Reads [offset, offset + dst.remaining()) from the layers; the blocks are locked by the caller. */
    private void readLayers(long offset, ByteBuffer dst) throws IOException {
        long end = offset + dst.remaining();
        long position = offset;
        while (position < end) {
            long block = active.blockOf(position);
            Layer layer = layerOf(block);
            long runEnd = active.blockOffset(block) + active.blockLength(block);
            while (runEnd < end && layerOf(active.blockOf(runEnd)) == layer) {
                runEnd += active.blockLength(active.blockOf(runEnd));
            }
            int n = (int) (Math.min(runEnd, end) - position);
            ByteBuffer part = dst.slice(dst.position(), n);
            switch (layer) {
                case ACTIVE -> active.read(position, part);
                case HIDDEN -> hidden.read(position, part);
                case SECONDARY -> s.read(position, part);
            }
            dst.position(dst.position() + n);
            position += n;
        }
    }

    private Layer layerOf(long block) {
        if (active.isAllocated(block)) {
            return Layer.ACTIVE;
        }
        return hidden.isAllocated(block) ? Layer.HIDDEN : Layer.SECONDARY;
    }

    /** Writes part of one block into A: the rest of the block comes from the current view. */
    private void patchBlock(long block, long position, ByteBuffer part) throws IOException {
        long blockStart = active.blockOffset(block);
        ByteBuffer whole = ByteBuffer.allocate(active.blockLength(block));
        readLayers(blockStart, whole);
        whole.put((int) (position - blockStart), part, part.position(), part.remaining());
        active.write(blockStart, whole.clear());
    }

    private BlockLocks.Held lockRange(long offset, long length) {
        return locks.lock(active.blockOf(offset), active.blockOf(offset + length - 1));
    }

    private enum Layer {
        ACTIVE, HIDDEN, SECONDARY
    }
}
