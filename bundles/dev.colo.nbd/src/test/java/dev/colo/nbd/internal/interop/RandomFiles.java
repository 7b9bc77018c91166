package dev.colo.nbd.internal.interop;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

final class RandomFiles {
    private RandomFiles() {
    }

    static Path create(Path file, long sizeBytes, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[1 << 20];
        ByteBuffer longs = ByteBuffer.wrap(chunk);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < sizeBytes; written += chunk.length) {
                longs.clear();
                while (longs.hasRemaining()) {
                    longs.putLong(random.nextLong());
                }
                out.write(chunk, 0, (int) Math.min(chunk.length, sizeBytes - written));
            }
        }
        return file;
    }
}
