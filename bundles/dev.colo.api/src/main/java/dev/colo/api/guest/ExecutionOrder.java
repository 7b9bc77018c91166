package dev.colo.api.guest;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A guest's optional capability ({@link ProtectedGuest#executionOrder()}): on the primary it publishes the order in
 * which it executed its connections' commands, with the nondeterministic values it used (the clock, say); on the
 * secondary it executes each mirrored connection's commands only in that order, with those values, so that
 * concurrent clients on shared state get the same replies from both guests. The order's bytes are the guest's own
 * (versioned by it); the pair carries them over the peer link, in order, one message per publication.
 *
 * <p>The guest learns which connection a command came from by the {@link ConnectionHeader} the proxy sends first
 * on each connection to a guest with this capability. Whether the secondary follows is decided by the state it
 * loads: a primary's guest that leads says so in what it captures (with the point of each connection's commands
 * that state holds), and the secondary follows from there; a guest that cannot follow any more (a command that
 * does not arrive, an order that cannot be right) runs its commands as they come until the next checkpoint, and
 * says why through {@link #onGiveUp}.
 */
@ConsumerType
public interface ExecutionOrder {
    /** Primary: publish the order to {@code sink} from now on (each call one message); {@code null} stops. */
    void lead(Consumer<byte[]> sink);

    /** Secondary: the primary's next message, in the order it was published. */
    void follow(ByteBuffer order);

    /** Secondary: told (once each time) that the guest gave up following, and why. */
    void onGiveUp(Consumer<String> listener);

    /**
     * Called while the guest is paused for a checkpoint (the primary's release, the secondary's load): for each
     * connection named by a header, the bytes of output the guest has handed to it so far, when they mark exactly
     * where the output of the state this node now holds ends. The proxies compare from there: output produced before
     * the pause belongs to the old epoch even when the proxy reads it later. Empty when the guest cannot say (a
     * secondary that does not follow the order: what it ran before the load is not known to be in the state).
     */
    Optional<Map<Long, Long>> outputMarks();

    /** What it did, for management. */
    OrderStats stats();

    /**
     * @param leading         whether it publishes its order (primary, enabled)
     * @param following       whether it follows one (secondary, the loaded state led, not given up)
     * @param entriesShipped  entries published, since the guest started
     * @param bytesShipped    bytes of them
     * @param entriesApplied  entries followed
     * @param entriesWaiting  entries received and not yet followed (the secondary's lag)
     * @param bytesWaiting    bytes of them, approximately
     * @param gaveUp          times the secondary gave up following
     */
    record OrderStats(boolean leading, boolean following, long entriesShipped, long bytesShipped, long entriesApplied,
            long entriesWaiting, long bytesWaiting, long gaveUp) {
    }
}
