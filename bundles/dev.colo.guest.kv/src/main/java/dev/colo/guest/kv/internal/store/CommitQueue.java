package dev.colo.guest.kv.internal.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The writes prepared and not yet taken by the log writer, in log sequence order, bounded in records and bytes: a
 * client beyond the bound waits (the store's back-pressure). A single write larger than the byte bound is still
 * taken when the queue is empty, or it could never pass. Also counts the batches written, by size. Guarded by the
 * store's lock.
 */
final class CommitQueue {
    /** One command's write: its log sequence number, its mutations, how much it grows the data, its size. */
    record Record(long lsn, List<Mutation> mutations, long growth, long bytes) {
    }

    /** What the log writer writes at once: the records queued since it last looked. */
    record Batch(List<Record> records) {
        long lastLsn() {
            return records.get(records.size() - 1).lsn();
        }

        List<Mutation> mutations() {
            List<Mutation> all = new ArrayList<>();
            records.forEach(record -> all.addAll(record.mutations()));
            return all;
        }
    }

    /** Batches counted by size: 1, 2–3, 4–7, … , 512 and more records. */
    static final int SIZE_CLASSES = 10;

    private final int maxRecords;
    private final long maxBytes;
    private List<Record> queued = new ArrayList<>();
    private long queuedBytes;
    private final long[] batchesBySize = new long[SIZE_CLASSES];

    CommitQueue(int maxRecords, long maxBytes) {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("bounds of " + maxRecords + " records and " + maxBytes + " bytes");
        }
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** Whether a new write must wait. */
    boolean full() {
        return !queued.isEmpty() && (queued.size() >= maxRecords || queuedBytes >= maxBytes);
    }

    boolean isEmpty() {
        return queued.isEmpty();
    }

    void add(Record record) {
        queued.add(record);
        queuedBytes += record.bytes();
    }

    /** Everything queued, as one batch (counted); the queue is empty after. */
    Batch take() {
        Batch batch = new Batch(queued);
        batchesBySize[Math.min(SIZE_CLASSES - 1, 63 - Long.numberOfLeadingZeros(queued.size()))]++;
        clear();
        return batch;
    }

    /** Drops what is queued (after a failed batch: these were prepared on top of it). */
    void clear() {
        queued = new ArrayList<>();
        queuedBytes = 0;
    }

    long[] batchesBySize() {
        return batchesBySize.clone();
    }
}
