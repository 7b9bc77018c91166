package dev.colo.replication.internal.generation;

import dev.colo.storage.StateFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A disk's {@link Generations}, kept in a crash-safe state file and changed only through it, one change at a
 * time (writers that diverge race the resynchronisation that ends).
 */
public final class GenerationStore {
    /** Version 1 had no shared flag. */
    private static final int VERSION_1 = 1;
    private static final int VERSION = 2;

    private final Path file;
    private volatile Generations generations;

    private GenerationStore(Path file, Generations generations) {
        this.file = file;
        this.generations = generations;
    }

    /**
     * Loads the file, or starts a fresh history with {@code initial} (e.g. the same id on both nodes of a pair
     * whose disks were created empty together, so that their first protection copies nothing).
     */
    public static GenerationStore open(Path file, long initial) throws IOException {
        Optional<byte[]> content = StateFile.read(file);
        if (content.isEmpty()) {
            GenerationStore store = new GenerationStore(file, Generations.fresh(initial));
            store.save(store.generations);
            return store;
        }
        ByteBuffer in = ByteBuffer.wrap(content.get());
        int version = in.getInt();
        if (version == VERSION_1 && in.remaining() == 16) {
            // It does not say whether the peer knows our current (it rotated when the secondary was lost, and
            // after a resynchronisation the peer took it). Read as shared: at worst one rotation too many (a
            // full copy if the peer was still at our base); read as not shared, a write the peer lacks could
            // leave our current equal to the peer's, taken for the same data.
            return new GenerationStore(file, new Generations(in.getLong(), in.getLong(), true));
        }
        if (version != VERSION || in.remaining() != 17) {
            throw new IOException("Generation file " + file + " has version " + version + " or a wrong length");
        }
        return new GenerationStore(file, new Generations(in.getLong(), in.getLong(), in.get() != 0));
    }

    public Generations get() {
        return generations;
    }

    /** Replaces the generations by {@code change} of them, durably (unless it changes nothing); returns them. */
    public synchronized Generations update(UnaryOperator<Generations> change) throws IOException {
        Generations next = change.apply(generations);
        if (!next.equals(generations)) {
            save(next);
            generations = next;
        }
        return next;
    }

    /**
     * A write the peer lacks is about to be acknowledged: the first one starts a new generation (one durable
     * write), later ones find it done.
     */
    public void diverge() throws IOException {
        if (generations.shared()) { // not shared: durably so, as the flag is set only once saved
            update(Generations::diverged);
        }
    }

    /**
     * A resynchronisation copied every block: the generations become shared before the peer takes our current,
     * so that any write it lacks from then on starts a new one — provided {@code peerHasEverything} holds,
     * checked while no writer can diverge (a writer that fails the peer marks its blocks dirty, or drops the
     * peer, before it diverges).
     *
     * @return the shared generations, whose current the peer takes; empty if it lacks blocks again
     */
    public synchronized Optional<Generations> shareIf(BooleanSupplier peerHasEverything) throws IOException {
        if (!peerHasEverything.getAsBoolean()) {
            return Optional.empty();
        }
        return Optional.of(update(mine -> mine.sharing(mine.current())));
    }

    private void save(Generations next) throws IOException {
        StateFile.write(file, ByteBuffer.allocate(21).putInt(VERSION).putLong(next.current()).putLong(next.base())
                .put((byte) (next.shared() ? 1 : 0)).array());
    }
}
