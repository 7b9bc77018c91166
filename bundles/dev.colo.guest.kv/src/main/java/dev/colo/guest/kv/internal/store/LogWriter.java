package dev.colo.guest.kv.internal.store;

import java.io.IOException;

/**
 * The store's one log writer: takes every write queued meanwhile, makes the batch durable as one write (or
 * compacts the log with it when the log has no room), then lets the store apply it and release its replies. When
 * the store leads an execution order, it publishes the order of the commands run meanwhile first.
 */
final class LogWriter implements Runnable {
    private final KvStore store;
    private final Durability durability;

    LogWriter(KvStore store, Durability durability) {
        this.store = store;
        this.durability = durability;
    }

    @Override
    public void run() {
        KvStore.Work work;
        while ((work = store.nextWork()) != null) {
            if (work.order() != null) {
                work.order().publish(); // first: the secondary runs the commands while they are made durable here
            }
            CommitQueue.Batch batch = work.batch();
            if (batch == null) {
                continue;
            }
            IOException failure = null;
            try {
                if (!durability.append(batch.mutations())) {
                    durability.compact(store.everythingWith(batch));
                }
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e.toString(), e);
            }
            store.settle(batch, failure);
        }
    }
}
