package dev.colo.proxy.internal.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Splits data for the peer link into buffers of at most {@link ProxyMessage#MAX_DATA_BYTES}. */
public final class Chunks {
    private Chunks() {
    }

    /** Copies of {@code data}'s remaining bytes (its position is not moved), in order. */
    public static List<ByteBuffer> of(ByteBuffer data) {
        List<ByteBuffer> chunks = new ArrayList<>();
        for (int at = data.position(); at < data.limit(); at += ProxyMessage.MAX_DATA_BYTES) {
            byte[] chunk = new byte[Math.min(ProxyMessage.MAX_DATA_BYTES, data.limit() - at)];
            data.get(at, chunk);
            chunks.add(ByteBuffer.wrap(chunk));
        }
        return chunks;
    }
}
