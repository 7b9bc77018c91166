package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/**
 * Assembles the requests of one connection from a byte stream as it arrives, putting each WRITE payload
 * straight into a buffer from {@link PayloadBuffers}: input is consumed as soon as it is read, so a large
 * payload is never accumulated and copied again by the transport. Not thread-safe (one per connection,
 * fed by one thread at a time).
 */
public final class RequestAssembler {
    private final int maxPayloadBytes;
    private final PayloadBuffers buffers;
    /** A WRITE whose payload is still arriving, or null. */
    private NbdRequest partial;

    public RequestAssembler(int maxPayloadBytes, PayloadBuffers buffers) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.buffers = buffers;
    }

    /**
     * The next complete request, or {@code null} when more input is needed. Consumes every byte it can
     * use; with {@code null} fewer than 28 bytes of a header may remain unconsumed.
     *
     * @throws NbdProtocolException on a bad magic or an oversized WRITE
     */
    public NbdRequest next(ByteBuffer in) throws NbdProtocolException {
        if (partial == null) {
            NbdRequest request = TransmissionWire.decodeHeader(in, maxPayloadBytes, buffers);
            if (request == null || !request.hasPayload()) {
                return request;
            }
            partial = request;
        }
        ByteBuffer payload = partial.payload();
        int n = Math.min(payload.remaining(), in.remaining());
        payload.put(in.slice(in.position(), n));
        in.position(in.position() + n);
        if (payload.hasRemaining()) {
            return null;
        }
        NbdRequest complete = partial;
        partial = null;
        payload.flip();
        return complete;
    }

    /** Gives back the payload buffer of a request still arriving (the connection ended). */
    public void discard() {
        if (partial != null) {
            buffers.release(partial.payload());
            partial = null;
        }
    }
}
