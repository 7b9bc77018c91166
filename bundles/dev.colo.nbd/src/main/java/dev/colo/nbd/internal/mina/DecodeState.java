package dev.colo.nbd.internal.mina;

/**
 * The decode state of one connection, kept in a session attribute; the decoder advances it within a
 * phase, the handler moves it between the handshake and transmission phases.
 */
final class DecodeState {
    private volatile DecodePhase phase = DecodePhase.CLIENT_FLAGS;

    DecodePhase phase() {
        return phase;
    }

    void phase(DecodePhase next) {
        phase = next;
    }
}
