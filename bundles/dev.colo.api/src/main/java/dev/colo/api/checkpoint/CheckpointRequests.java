package dev.colo.api.checkpoint;

import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Asks the checkpoint coordinator for a checkpoint. Requests inside the minimum gap, or while one runs,
 * coalesce into the next checkpoint. Output held by the proxy is released through
 * {@link CheckpointParticipant#released}, for whatever reason the checkpoint ran.
 */
@ProviderType
public interface CheckpointRequests {

    /**
     * @param detail for the record, e.g. the connection and offset of a miscompare
     * @return completes when the checkpoint that serves this request ended
     */
    CompletableFuture<CheckpointOutcome> request(CheckpointReason reason, String detail);

    /**
     * After a completed {@link CheckpointReason#SWITCHOVER} checkpoint whose switchover did not go ahead (the
     * secondary refused, or did not answer): resumes the guests that it left paused and ends protection, so that
     * the next checkpoint is a full one. Nothing when no switchover checkpoint holds the guests.
     */
    default void resumeAfterHandOver(String why) {
    }
}
