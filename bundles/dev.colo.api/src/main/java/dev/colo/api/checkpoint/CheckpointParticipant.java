package dev.colo.api.checkpoint;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service told of the checkpoint steps that concern it (DESIGN §5). Called on the coordinator's
 * thread: return quickly.
 */
@ConsumerType
public interface CheckpointParticipant {

    /**
     * Primary, step 4: the secondary received the state of {@code epoch}; output held until now could be
     * reproduced by the secondary and may be released.
     */
    default void released(long epoch) {
    }

    /**
     * Secondary, step 5: the state of {@code epoch} is loaded; what belonged to the previous epoch (overlays,
     * redirected output not yet compared) is discarded.
     */
    default void loaded(long epoch) {
    }
}
