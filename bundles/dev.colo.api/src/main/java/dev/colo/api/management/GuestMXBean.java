package dev.colo.api.management;

/**
 * The reference guest of this node: {@value #OBJECT_NAME_PREFIX}{@code <name>}. Its memory bound and how it is
 * used, its execution order, and its restarts after failures. Notifications: {@code dev.colo.guest.memory-bound}
 * when it begins or stops refusing writes at its bound; {@code dev.colo.guest.order-lost} when it stops following
 * the primary's execution order.
 */
public interface GuestMXBean {
    String OBJECT_NAME_PREFIX = "dev.colo:type=Guest,name=";

    /** {@code OBJECT_NAME_PREFIX} and the quoted guest name. */
    static String objectName(String guest) {
        return OBJECT_NAME_PREFIX + javax.management.ObjectName.quote(guest);
    }

    /** The guest's name, the same on both nodes. */
    String getGuestName();

    /** Whether it serves now (false while it restarts, or after it failed too often). */
    boolean isRunning();

    /** Keys it holds. */
    long getKeys();

    /** Bytes of data as its bound counts them (keys, values and a fixed cost per key). */
    long getUsedMemoryBytes();

    /** The bound (configuration {@code max.memory.bytes}): a write that would pass it is refused with -OOM. */
    long getMaxMemoryBytes();

    /** Writes refused at the bound since the guest (re)started. */
    long getRefusedWrites();

    /** The largest value or argument a client may send (configuration {@code proto.max.bulk.len}). */
    long getMaxBulkBytes();

    /** Bytes of commands not yet complete that its connections hold, and their bound. */
    long getQueryBufferBytes();

    /** Commands executed since the guest (re)started. */
    long getCommands();

    /**
     * Batches its log writer made durable since the guest (re)started, by the writes in them: 1, 2–3, 4–7, …,
     * 256–511, 512 and more (ten counts). Many writes per batch is the group commit at work.
     */
    long[] getLogBatchesBySize();

    /** Whether it leads (primary) and follows (secondary) an execution order (configuration {@code ordering}). */
    boolean isOrdering();

    /** Whether it publishes its execution order now (the primary's guest). */
    boolean isOrderLeading();

    /** Whether it follows the primary's execution order now (the secondary's, since a checkpoint of a leader). */
    boolean isOrderFollowing();

    /** Entries of its execution order it published (one per command of a mirrored connection), since it started. */
    long getOrderEntriesShipped();

    /** Bytes of the execution order it published, since it started. */
    long getOrderBytesShipped();

    /** Entries of the primary's execution order it followed, since it started. */
    long getOrderEntriesApplied();

    /** Entries of the primary's execution order received and not yet followed: the secondary's lag. */
    long getOrderEntriesWaiting();

    /** Bytes of those entries. */
    long getOrderBytesWaiting();

    /** Times it stopped following the primary's order until the next checkpoint, since it started. */
    long getOrderGiveUps();

    /** Times it was restarted after a failure since the node started. */
    int getRestarts();

    /** The last failure (what happened, when), empty if none. */
    String getLastFailure();
}
