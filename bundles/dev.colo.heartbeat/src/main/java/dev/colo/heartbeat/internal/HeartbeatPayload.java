package dev.colo.heartbeat.internal;

import java.nio.ByteBuffer;

/**
 * Body of a heartbeat message: a sequence number and the sender's wall clock, 16 bytes big-endian.
 * The receiver does not need either to judge liveness (arrival is enough); they make gaps and clock
 * skew visible when debugging.
 */
record HeartbeatPayload(long sequence, long sentAtMillis) {
    static final int LENGTH = 2 * Long.BYTES;

    byte[] encode() {
        return ByteBuffer.allocate(LENGTH).putLong(sequence).putLong(sentAtMillis).array();
    }

    /** @throws IllegalArgumentException when the body is not exactly {@value #LENGTH} bytes */
    static HeartbeatPayload decode(byte[] body) {
        if (body.length != LENGTH) {
            throw new IllegalArgumentException("heartbeat body must be " + LENGTH + " bytes, got " + body.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(body);
        return new HeartbeatPayload(buffer.getLong(), buffer.getLong());
    }
}
