package dev.colo.api.checkpoint;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Whether this secondary holds the primary's state, as its checkpoint coordinator knows it; registered by the
 * coordinator of a secondary only, so its absence means the coordinator is not running. A secondary holds the
 * primary's state only while it has loaded a checkpoint and stayed in contact since: its coordinator restarting,
 * its contact with the primary lost and regained, a stall of this node, a failed checkpoint or the primary ending
 * protection each make it stale until the next checkpoint loads. Read at the moment of a failover decision.
 */
@ProviderType
public interface SecondaryState {

    /** The epoch of the primary's state this node loaded last; -1 if none since its coordinator started. */
    long loadedEpoch();

    /** Empty while this node holds the primary's state of {@link #loadedEpoch()}; otherwise why not, and since when. */
    Optional<String> staleReason();
}
