package dev.colo.nbd.internal.mina;

import dev.colo.nbd.protocol.PayloadBuffers;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Heap payload buffers that remember which were handed out and not given back. */
final class CountingPayloads implements PayloadBuffers {
    private final Set<ByteBuffer> out = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    @Override
    public ByteBuffer acquire(int bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        out.add(buffer);
        return buffer;
    }

    @Override
    public void release(ByteBuffer buffer) {
        if (!out.remove(buffer)) {
            throw new AssertionError("released a buffer that was not out (twice?)");
        }
    }

    int outstanding() {
        return out.size();
    }
}
