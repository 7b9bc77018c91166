package dev.colo.nbd.internal.mina;

import dev.colo.nbd.protocol.RequestAssembler;
import java.util.function.Supplier;

/**
 * The decode state of one connection, kept in a session attribute; the decoder advances it within a
 * phase, the handler moves it between the handshake and transmission phases.
 */
final class DecodeState {
    private volatile DecodePhase phase = DecodePhase.CLIENT_FLAGS;
    /** The transmission phase's request assembler, created on its first use by the decoder. */
    private RequestAssembler requests;

    DecodePhase phase() {
        return phase;
    }

    void phase(DecodePhase next) {
        phase = next;
    }

    RequestAssembler requests(Supplier<RequestAssembler> create) {
        if (requests == null) {
            requests = create.get();
        }
        return requests;
    }

    /** Gives back what the assembler holds; the connection ended. */
    void discard() {
        if (requests != null) {
            requests.discard();
        }
    }
}
