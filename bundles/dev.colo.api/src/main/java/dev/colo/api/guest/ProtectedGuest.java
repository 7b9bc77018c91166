package dev.colo.api.guest;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A guest the pair protects (DESIGN §7), registered as a whiteboard service with {@link #NAME_PROPERTY}. The
 * checkpoint coordinator pauses it on both nodes, captures its state on the primary, restores it on the
 * secondary and resumes both; the proxy forwards clients to its {@link #endpoint()}.
 */
@ConsumerType
public interface ProtectedGuest {
    /** Service property: the guest's name, the same on both nodes. */
    String NAME_PROPERTY = "colo.guest.name";

    String name();

    /**
     * Stops the guest changing its state or producing output; returns once it is quiescent (requests being
     * executed finished, their replies handed to the network). Clients' connections stay open.
     */
    void pause();

    /** Lets a paused guest go on. */
    void resume();

    /**
     * The paused guest's state: the changes since the previous capture when {@code full} is false and the
     * guest can tell them, else all of it ({@link GuestState#full()} says which it is).
     */
    GuestState capture(boolean full);

    /**
     * Makes the paused guest's state the captured one: a full state replaces it, an incremental one is applied
     * to the state of the previous checkpoint. Connections from the proxy stay open.
     *
     * @throws IllegalStateException when an incremental state does not follow the state this guest has
     */
    void restore(GuestState state);

    /** Where this node's proxy forwards clients. */
    InetSocketAddress endpoint();

    /** The protected disks ({@code colo.disk.name}) the guest keeps its data on. */
    List<String> disks();

    /** Its execution order, when it can lead and follow one; empty for a guest whose differences compare catches. */
    default Optional<ExecutionOrder> executionOrder() {
        return Optional.empty();
    }
}
