package dev.colo.nbd.client.internal;

import dev.colo.nbd.protocol.ClientWire;

/**
 * Per-session decode state, kept in a session attribute: the phase and what the phase needs. The
 * decoder moves to {@link DecodePhase#TRANSMISSION} itself after the last handshake message, so that
 * replies in the same read are decoded right; the handler sets the other phases before writing.
 */
final class DecodeState {
    volatile DecodePhase phase = DecodePhase.GREETING;
    /** Whether NO_ZEROES was agreed (the EXPORT_NAME answer is then 10 bytes). */
    volatile boolean noZeroes;
    /** Payload sizes of simple replies, looked up by handle in the requests in flight. */
    final ClientWire.SimpleReplyPayload payloads;

    DecodeState(ClientWire.SimpleReplyPayload payloads) {
        this.payloads = payloads;
    }
}
