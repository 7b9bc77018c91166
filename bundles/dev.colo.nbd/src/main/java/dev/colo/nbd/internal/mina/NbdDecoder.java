package dev.colo.nbd.internal.mina;

import dev.colo.nbd.protocol.ClientFlags;
import dev.colo.nbd.protocol.HandshakeWire;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdProtocolException;
import dev.colo.nbd.protocol.NbdRequest;
import dev.colo.nbd.protocol.OptionRequest;
import dev.colo.nbd.protocol.PayloadBuffers;
import dev.colo.nbd.protocol.RequestAssembler;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * MINA adapter of {@link HandshakeWire} and {@link RequestAssembler}: one message per {@code true},
 * {@code false} until the next one is complete. Declared lengths are checked before allocating (in the
 * wire classes). WRITE payloads are consumed as they arrive, into buffers from {@link PayloadBuffers},
 * so MINA never accumulates them. The phase lives in the session's {@link DecodeState}, so one instance serves every session.
 */
final class NbdDecoder extends CumulativeProtocolDecoder {
    private final int maxOptionBytes;
    private final int maxPayloadBytes;
    private final PayloadBuffers payloads;

    NbdDecoder(int maxOptionBytes, int maxPayloadBytes, PayloadBuffers payloads) {
        this.maxOptionBytes = maxOptionBytes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.payloads = payloads;
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
                    NbdRequest request = state.requests(() -> new RequestAssembler(maxPayloadBytes, payloads))
                            .next(in.buf());
                    if (request == null) {
                        return false; // what was not consumed is less than a header
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
        DecodeState state = (DecodeState) session.removeAttribute(SessionKeys.DECODE_STATE);
        if (state != null) {
            state.discard();
        }
        super.dispose(session);
    }
}
