package dev.colo.replication.internal.generation;

import dev.colo.storage.DirtyBitmap;
import java.io.IOException;

/**
 * How a disk records a change it acknowledges while its peer lacks it, before acknowledging it: the blocks
 * are marked dirty (what a resynchronisation copies), then the first such change starts a new generation
 * (what tells our data from the peer's). Both durable; an empty change lacks nothing.
 */
public record LackedChanges(DirtyBitmap dirty, GenerationStore generations) {

    public void record(long offset, long length) throws IOException {
        dirty.mark(offset, length);
        if (length > 0) {
            generations.diverge();
        }
    }
}
