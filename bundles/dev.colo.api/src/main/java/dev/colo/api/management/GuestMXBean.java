package dev.colo.api.management;

/**
 * The reference guest of this node: {@value #OBJECT_NAME_PREFIX}{@code <name>}. Its memory bound and how it is
 * used, and its restarts after failures. Notifications: {@code dev.colo.guest.memory-bound} when it begins or
 * stops refusing writes at its bound.
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

    /** Times it was restarted after a failure since the node started. */
    int getRestarts();

    /** The last failure (what happened, when), empty if none. */
    String getLastFailure();
}
