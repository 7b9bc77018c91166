package dev.colo.replication.internal.generation;

import dev.colo.storage.StateFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/** A disk's {@link Generations}, kept in a crash-safe state file and changed only through it. */
public final class GenerationStore {
    private static final int VERSION = 1;

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
        if (version != VERSION || in.remaining() != 16) {
            throw new IOException("Generation file " + file + " has version " + version + " or a wrong length");
        }
        return new GenerationStore(file, new Generations(in.getLong(), in.getLong()));
    }

    public Generations get() {
        return generations;
    }

    /** Replaces the generations durably. */
    public synchronized void set(Generations next) throws IOException {
        save(next);
        generations = next;
    }

    private void save(Generations next) throws IOException {
        StateFile.write(file, ByteBuffer.allocate(20).putInt(VERSION).putLong(next.current()).putLong(next.base())
                .array());
    }
}
