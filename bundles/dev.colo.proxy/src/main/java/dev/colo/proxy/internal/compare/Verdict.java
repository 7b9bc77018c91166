package dev.colo.proxy.internal.compare;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What a comparator decided after an input.
 *
 * @param release        bytes to send to the client now, in order
 * @param closeClient    the client's connection may now be closed (both guests ended it at the same offset)
 * @param mismatched     the streams differ: a checkpoint must make the secondary the primary's copy
 * @param mismatchOffset where the outputs first differ: a stream offset (TCP) or a datagram index (UDP); -1 if none
 */
public record Verdict(List<ByteBuffer> release, boolean closeClient, boolean mismatched, long mismatchOffset) {

    public long releasedBytes() {
        return release.stream().mapToLong(ByteBuffer::remaining).sum();
    }
}
