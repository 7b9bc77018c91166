package dev.colo.nbd.internal.mina;

import dev.colo.nbd.protocol.ClientFlags;
import dev.colo.nbd.protocol.HandshakeWire;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdProtocolException;
import dev.colo.nbd.protocol.NbdRequest;
import dev.colo.nbd.protocol.OptionRequest;
import dev.colo.nbd.protocol.TransmissionWire;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * MINA adapter of {@link HandshakeWire} and {@link TransmissionWire}: one message per {@code true},
 * {@code false} until the next one is complete. Declared lengths are checked before allocating (in the
 * wire classes). The phase lives in the session's {@link DecodeState}, so one instance serves every session.
 */
final class NbdDecoder extends CumulativeProtocolDecoder {
    private final int maxOptionBytes;
    private final int maxPayloadBytes;

    NbdDecoder(int maxOptionBytes, int maxPayloadBytes) {
        this.maxOptionBytes = maxOptionBytes;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        DecodeState state = SessionKeys.decodeState(session);
        try {
            switch (state.phase()) {
                case CLIENT_FLAGS -> {
                    ClientFlags flags = HandshakeWire.decodeClientFlags(in.buf());
                    if (flags == null) {
                        return false;
                    }
                    state.phase(DecodePhase.OPTIONS);
                    out.write(flags);
                    return true;
                }
                case OPTIONS -> {
                    OptionRequest option = HandshakeWire.decodeOption(in.buf(), maxOptionBytes);
                    if (option == null) {
                        return false;
                    }
                    if (option.mayEndHandshake()) {
                        state.phase(DecodePhase.OPTION_PENDING);
                    }
                    out.write(option);
                    return true;
                }
                case TRANSMISSION -> {
                    NbdRequest request = TransmissionWire.decodeRequest(in.buf(), maxPayloadBytes);
                    if (request == null) {
                        return false;
                    }
                    if (request.type() == NbdCommand.DISC.wireValue()) {
                        state.phase(DecodePhase.DONE);
                    }
                    out.write(request);
                    return true;
                }
                case OPTION_PENDING -> {
                    return false;
                }
                default -> {
                    in.position(in.limit()); // DONE: drop whatever the client still sends
                    return false;
                }
            }
        } catch (NbdProtocolException e) {
            state.phase(DecodePhase.DONE);
            in.position(in.limit());
            throw new ProtocolDecoderException(e.getMessage(), e);
        }
    }

    @Override
    public void dispose(IoSession session) throws Exception {
        session.removeAttribute(SessionKeys.DECODE_STATE);
        super.dispose(session);
    }
}
