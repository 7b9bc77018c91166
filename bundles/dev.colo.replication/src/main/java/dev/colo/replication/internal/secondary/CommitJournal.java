package dev.colo.replication.internal.secondary;

import dev.colo.storage.StateFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The intent of a failover commit, written before S is touched: which blocks H and A hold. A node killed
 * mid-commit finds it on restart and commits again from the overlays (which the commit never changes),
 * so the commit is idempotent and either completes or is reported.
 */
public record CommitJournal(long epoch, long sizeBytes, int blockBytes, long[] hiddenBlocks, long[] activeBlocks) {

    private static final int VERSION = 1;

    public void write(Path file) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(4 + 8 + 8 + 4 + 4 + 8 * hiddenBlocks.length + 4 + 8 * activeBlocks.length);
        out.putInt(VERSION).putLong(epoch).putLong(sizeBytes).putInt(blockBytes);
        putWords(out, hiddenBlocks);
        putWords(out, activeBlocks);
        StateFile.write(file, out.array());
    }

    /**
     * The journal of an unfinished commit, or empty when none is pending.
     *
     * @throws IOException naming the file when it is unreadable or of another version
     */
    public static Optional<CommitJournal> read(Path file) throws IOException {
        Optional<byte[]> content = StateFile.read(file);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(content.get());
        int version = in.getInt();
        if (version != VERSION) {
            throw new IOException("Failover commit journal " + file + " has version " + version + ", expected "
                    + VERSION);
        }
        return Optional.of(new CommitJournal(in.getLong(), in.getLong(), in.getInt(), words(in), words(in)));
    }

    public static void delete(Path file) throws IOException {
        StateFile.delete(file);
    }

    private static void putWords(ByteBuffer out, long[] words) {
        out.putInt(words.length);
        for (long word : words) {
            out.putLong(word);
        }
    }

    private static long[] words(ByteBuffer in) {
        long[] words = new long[in.getInt()];
        for (int i = 0; i < words.length; i++) {
            words[i] = in.getLong();
        }
        return words;
    }
}
