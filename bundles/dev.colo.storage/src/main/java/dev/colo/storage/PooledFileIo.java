package dev.colo.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads and writes of any buffer on one channel. Heap buffers move through pooled direct
 * chunks of {@value #CHUNK_BYTES} bytes, so a large request does not make the JDK cache a temporary direct
 * buffer of its size in the calling thread.
 */
final class PooledFileIo {
    static final int CHUNK_BYTES = 1024 * 1024;
    private static final int POOLED_BUFFERS = 8;

    private final FileChannel channel;
    private final DirectBufferPool buffers = new DirectBufferPool(CHUNK_BYTES, POOLED_BUFFERS);

    PooledFileIo(FileChannel channel) {
        this.channel = channel;
    }

    void read(long offset, ByteBuffer dst) throws IOException {
        if (dst.isDirect()) {
            FileIo.readFully(channel, offset, dst);
            return;
        }
        ByteBuffer chunk = buffers.acquire();
        try {
            long position = offset;
            while (dst.hasRemaining()) {
                chunk.clear().limit(Math.min(chunk.capacity(), dst.remaining()));
                FileIo.readFully(channel, position, chunk);
                position += chunk.flip().remaining();
                dst.put(chunk);
            }
        } finally {
            buffers.release(chunk);
        }
    }

    void write(long offset, ByteBuffer src) throws IOException {
        if (src.isDirect()) {
            FileIo.writeFully(channel, offset, src);
            return;
        }
        ByteBuffer chunk = buffers.acquire();
        try {
            long position = offset;
            while (src.hasRemaining()) {
                int n = Math.min(chunk.capacity(), src.remaining());
                chunk.clear();
                chunk.put(src.slice(src.position(), n)).flip();
                FileIo.writeFully(channel, position, chunk);
                src.position(src.position() + n);
                position += n;
            }
        } finally {
            buffers.release(chunk);
        }
    }

    int pooledBuffers() {
        return buffers.pooled();
    }
}
