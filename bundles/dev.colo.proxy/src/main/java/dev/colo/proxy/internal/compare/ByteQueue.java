package dev.colo.proxy.internal.compare;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of one stream waiting for their counterpart: chunks in arrival order, each owned by the queue
 * (copied in) with the time it arrived, consumed from the front.
 */
final class ByteQueue {
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private long bytes;

    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return bytes == 0;
    }

    /** Appends a copy of {@code data}'s remaining bytes (its position is not moved), arrived at {@code nowNanos}. */
    void append(ByteBuffer data, long nowNanos) {
        if (data.hasRemaining()) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
            chunks.addLast(copy);
            arrivals.addLast(nowNanos);
            bytes += copy.remaining();
        }
    }

    /** When the oldest byte still queued arrived; -1 if the queue is empty. */
    long oldestArrivalNanos() {
        Long oldest = arrivals.peekFirst();
        return oldest == null ? -1 : oldest;
    }

    /**
     * Compares the front of the queue with {@code data} (from its position), for as many bytes as both have.
     *
     * @return the number of equal bytes before the first difference (the compared length if none)
     */
    long matchingPrefix(ByteBuffer data) {
        long matched = 0;
        int position = data.position();
        for (ByteBuffer chunk : chunks) {
            int n = Math.min(chunk.remaining(), data.limit() - position);
            int mismatch = n == 0 ? -1 : chunk.slice(chunk.position(), n).mismatch(data.slice(position, n));
            if (mismatch >= 0) {
                return matched + mismatch;
            }
            matched += n;
            position += n;
            if (position == data.limit()) {
                break;
            }
        }
        return matched;
    }

    /** Removes {@code count} bytes from the front and returns them as buffers (no copy). */
    List<ByteBuffer> take(long count) {
        List<ByteBuffer> taken = new ArrayList<>();
        long left = count;
        while (left > 0) {
            ByteBuffer head = chunks.peekFirst();
            int n = (int) Math.min(left, head.remaining());
            taken.add(head.slice(head.position(), n));
            head.position(head.position() + n);
            if (!head.hasRemaining()) {
                chunks.removeFirst();
                arrivals.removeFirst();
            }
            left -= n;
        }
        bytes -= count;
        return taken;
    }

    /** Removes every byte; returns them. */
    List<ByteBuffer> takeAll() {
        return take(bytes);
    }
}
