package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/**
 * Where the payloads of WRITE requests are received. A server passes pooled direct buffers, so that a
 * payload goes from the socket to the file without a copy into a fresh array; clients and tests use
 * {@link #HEAP}.
 */
public interface PayloadBuffers {

    /** Fresh heap buffers; releasing one does nothing. */
    PayloadBuffers HEAP = new PayloadBuffers() {
        @Override
        public ByteBuffer acquire(int bytes) {
            return ByteBuffer.allocate(bytes);
        }

        @Override
        public void release(ByteBuffer buffer) {
            // garbage collected
        }
    };

    /** A buffer with position 0 and limit {@code bytes}; give it back with {@link #release}. */
    ByteBuffer acquire(int bytes);

    /** Takes back a buffer from {@link #acquire}; the caller must not touch it afterwards. */
    void release(ByteBuffer buffer);
}
