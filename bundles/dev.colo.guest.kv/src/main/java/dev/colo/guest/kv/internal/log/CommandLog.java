package dev.colo.guest.kv.internal.log;

import dev.colo.api.storage.BlockDevice;
import dev.colo.guest.kv.internal.store.Durability;
import dev.colo.guest.kv.internal.store.Mutation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The store's changes as a checksummed log on a block device (the guest's replicated disk). Layout: two
 * superblocks (at 0 and 4 KiB, written alternately, the valid one with the highest generation wins) name the
 * region (one of two halves of the rest) that holds the log of the current generation. A record is
 * {@code length, crc32c, generation, sequence, payload}; replay stops at the first record that is not the next
 * of this generation with a matching checksum, so a torn write at the end is simply not there. When the
 * region is full, the whole content is written to the other region as generation + 1 and the superblock
 * switched to it: a crash before the switch leaves the old log intact.
 *
 * <p>An append is one record holding a batch of mutations, written with {@link BlockDevice#writeDurable} (one
 * round trip on a replicated disk, fdatasync locally). Ahead of the tail the region is written with zeroes, a
 * {@value #ALLOCATE_AHEAD_BYTES}-byte piece at a time, so that an append never writes into blocks the disk's files
 * have not allocated (each such fdatasync would commit the file system's journal too). What lies beyond the tail
 * never matters to a replay, so the zeroes are for speed only.
 * After a failed append the tail of the log is in doubt — the failed record may be there, in part or whole — so
 * the log is never continued there: the next change compacts it into the other region.
 */
public final class CommandLog implements Durability {
    static final long MAGIC = 0x434f4c4f4b563031L; // "COLOKV01"
    static final int SUPERBLOCK_BYTES = 4096;
    static final int HEADER_BYTES = 24;
    static final long ALLOCATE_AHEAD_BYTES = 1 << 20;

    private final BlockDevice device;
    private final long regionBytes;
    private long generation;
    private int region;
    private long offset;
    private long sequence;
    /** Whether appending at {@link #offset} is safe: false after a failed write, until a compaction succeeds. */
    private boolean tailTrusted = true;
    /** Up to where (in the current region) this log wrote zeroes ahead of its tail. */
    private long allocatedTo;

    private CommandLog(BlockDevice device) {
        this.device = device;
        this.regionBytes = (device.sizeBytes() - 2L * SUPERBLOCK_BYTES) / 2;
    }

    /**
     * Opens the log on {@code device}, replaying every record of the current generation into {@code replay};
     * a device with no valid superblock (a new disk) is formatted.
     *
     * @throws IOException when the device cannot be read or written, or is too small
     */
    public static CommandLog open(BlockDevice device, Consumer<Mutation> replay) throws IOException {
        if (device.sizeBytes() < 2L * SUPERBLOCK_BYTES + 2 * 64 * 1024) {
            throw new IOException("the disk has " + device.sizeBytes() + " bytes; the log needs at least 136 KiB");
        }
        CommandLog log = new CommandLog(device);
        long[] newest = null;
        for (int slot = 0; slot < 2; slot++) {
            long[] superblock = log.readSuperblock(slot);
            if (superblock != null && (newest == null || superblock[0] > newest[0])) {
                newest = superblock;
            }
        }
        if (newest == null) {
            log.generation = 1;
            log.region = 0;
            log.writeSuperblock(log.generation, log.region);
        } else {
            log.generation = newest[0];
            log.region = (int) newest[1];
        }
        log.offset = 0;
        log.sequence = 0;
        log.replay(replay);
        return log;
    }

    public long generation() {
        return generation;
    }

    /** Where the log goes on: its generation and the sequence number of its next record. */
    public record Position(long generation, long sequence, long offset) {
        /** Whether this is an earlier point of the log than {@code other} (an older generation, or fewer records). */
        public boolean isBefore(Position other) {
            return generation < other.generation || (generation == other.generation && sequence < other.sequence);
        }

        @Override
        public String toString() {
            return "generation " + generation + " record " + sequence + " (offset " + offset + ")";
        }
    }

    public synchronized Position position() {
        return new Position(generation, sequence, offset);
    }

    /** Bytes of the current region in use. */
    public long usedBytes() {
        return offset;
    }

    @Override
    public synchronized boolean append(List<Mutation> batch) throws IOException {
        byte[] record = record(generation, sequence, batch);
        if (!tailTrusted || offset + record.length + HEADER_BYTES > regionBytes) {
            return false;
        }
        allocateAhead(offset + record.length); // beyond the tail: a failure here leaves the tail as it was
        tailTrusted = false;
        device.writeDurable(regionStart(region) + offset, ByteBuffer.wrap(record));
        tailTrusted = true;
        offset += record.length;
        sequence++;
        return true;
    }

    /** Writes everything as the first record of generation + 1 in the other region, then switches to it. */
    @Override
    public synchronized void compact(Collection<Mutation> everything) throws IOException {
        byte[] record = record(generation + 1, 0, List.copyOf(everything));
        if (record.length + HEADER_BYTES > regionBytes) {
            throw new IOException("the data (" + record.length + " bytes) no longer fits half the disk ("
                    + regionBytes + " bytes)");
        }
        int next = 1 - region;
        zeroes(next, 0, Math.min(regionBytes, record.length + ALLOCATE_AHEAD_BYTES));
        device.writeDurable(regionStart(next), ByteBuffer.wrap(record));
        // switched only once the superblock says so: a failure before leaves the log as it was, and the next
        // compaction writes the same region again (never the one the valid superblock names)
        writeSuperblock(generation + 1, next);
        generation++;
        region = next;
        offset = record.length;
        sequence = 1;
        tailTrusted = true;
        allocatedTo = Math.min(regionBytes, record.length + ALLOCATE_AHEAD_BYTES);
    }

    /** Writes zeroes ahead of the tail, a piece beyond {@code end} at a time, if {@code end} passes what was. */
    private void allocateAhead(long end) throws IOException {
        if (end <= allocatedTo) {
            return;
        }
        long from = Math.max(allocatedTo, offset); // never before the tail: that is the log
        long to = Math.min(regionBytes, end + ALLOCATE_AHEAD_BYTES);
        zeroes(region, from, to);
        allocatedTo = to;
    }

    private void zeroes(int which, long from, long to) throws IOException {
        if (to > from) {
            device.writeZeroes(regionStart(which) + from, to - from);
        }
    }

    @Override
    public synchronized byte[] cursor() {
        ByteBuffer cursor = ByteBuffer.allocate(28);
        cursor.putLong(generation).putInt(region).putLong(offset).putLong(sequence);
        return cursor.array();
    }

    @Override
    public synchronized void continueAt(byte[] cursor) throws IOException {
        if (cursor.length != 28) {
            throw new IOException("a log cursor of " + cursor.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(cursor);
        long nextGeneration = in.getLong();
        int nextRegion = in.getInt();
        long nextOffset = in.getLong();
        long nextSequence = in.getLong();
        if ((nextRegion != 0 && nextRegion != 1) || nextOffset < 0 || nextOffset > regionBytes || nextSequence < 0) {
            throw new IOException("a log cursor out of range: region " + nextRegion + ", offset " + nextOffset);
        }
        // what this log allocated ahead stays allocated in the same region (a secondary goes on after each checkpoint)
        allocatedTo = nextRegion == region ? Math.max(allocatedTo, nextOffset) : nextOffset;
        generation = nextGeneration;
        region = nextRegion;
        offset = nextOffset;
        sequence = nextSequence;
        tailTrusted = true; // the primary's tail, which the disk now holds
    }

    private void replay(Consumer<Mutation> into) throws IOException {
        RegionReader reader = new RegionReader(device, regionStart(region), regionBytes);
        while (offset + HEADER_BYTES <= regionBytes) {
            ByteBuffer header = reader.read(offset, HEADER_BYTES);
            int length = header.getInt();
            int crc = header.getInt();
            long recordGeneration = header.getLong();
            long recordSequence = header.getLong();
            if (length <= 0 || offset + HEADER_BYTES + length > regionBytes || recordGeneration != generation
                    || recordSequence != sequence) {
                return; // the end of the log
            }
            byte[] payload = new byte[length];
            reader.read(offset + HEADER_BYTES, length).get(payload);
            if (checksum(recordGeneration, recordSequence, payload) != crc) {
                return; // a torn last write: never acknowledged
            }
            for (Mutation mutation : decode(payload)) {
                into.accept(mutation);
            }
            offset += HEADER_BYTES + length;
            sequence++;
        }
    }

    /**
     * Reads a region front to back in large pieces: a log holds up to millions of small records, and one device read
     * per header and per payload made a replay (every guest start, every failover) take seconds.
     */
    private static final class RegionReader {
        private static final int PIECE_BYTES = 1 << 20;
        private final BlockDevice device;
        private final long start;
        private final long bytes;
        private ByteBuffer piece = ByteBuffer.allocate(0);
        private long pieceAt;

        RegionReader(BlockDevice device, long start, long bytes) {
            this.device = device;
            this.start = start;
            this.bytes = bytes;
        }

        /** {@code length} bytes at {@code at} of the region (which the caller keeps within it), positioned at 0. */
        ByteBuffer read(long at, int length) throws IOException {
            if (at < pieceAt || at + length > pieceAt + piece.capacity()) {
                int size = (int) Math.min(Math.max(PIECE_BYTES, length), bytes - at);
                if (piece.capacity() != size) {
                    piece = ByteBuffer.allocate(size);
                }
                piece.clear();
                device.read(start + at, piece);
                pieceAt = at;
            }
            return piece.duplicate().position((int) (at - pieceAt)).limit((int) (at - pieceAt) + length).slice();
        }
    }

    private static byte[] record(long generation, long sequence, List<Mutation> mutations) throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(payload)) {
            out.writeInt(mutations.size());
            for (Mutation mutation : mutations) {
                mutation.write(out);
            }
        }
        byte[] body = payload.toByteArray();
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + body.length);
        record.putInt(body.length).putInt(checksum(generation, sequence, body)).putLong(generation).putLong(sequence)
                .put(body);
        return record.array();
    }

    private static List<Mutation> decode(byte[] payload) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int count = in.readInt();
            List<Mutation> mutations = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                mutations.add(Mutation.read(in));
            }
            return mutations;
        }
    }

    private static int checksum(long generation, long sequence, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(16).putLong(generation).putLong(sequence).flip());
        crc.update(payload);
        return (int) crc.getValue();
    }

    private long regionStart(int which) {
        return 2L * SUPERBLOCK_BYTES + which * regionBytes;
    }

    /** {generation, region}, or null if the slot holds no valid superblock. */
    private long[] readSuperblock(int slot) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(24);
        device.read((long) slot * SUPERBLOCK_BYTES, block);
        block.flip();
        long magic = block.getLong();
        long superGeneration = block.getLong();
        int superRegion = block.getInt();
        int crc = block.getInt();
        if (magic != MAGIC || (superRegion != 0 && superRegion != 1)
                || crc != checksum(superGeneration, superRegion, new byte[0])) {
            return null;
        }
        return new long[] {superGeneration, superRegion};
    }

    private void writeSuperblock(long superGeneration, int superRegion) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(24);
        block.putLong(MAGIC).putLong(superGeneration).putInt(superRegion)
                .putInt(checksum(superGeneration, superRegion, new byte[0])).flip();
        device.writeDurable((superGeneration % 2) * SUPERBLOCK_BYTES, block);
    }
}
