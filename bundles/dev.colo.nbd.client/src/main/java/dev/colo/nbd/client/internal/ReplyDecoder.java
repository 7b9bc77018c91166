package dev.colo.nbd.client.internal;

import dev.colo.nbd.protocol.ClientWire;
import dev.colo.nbd.protocol.ExportNameReply;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import dev.colo.nbd.protocol.OptionReply;
import dev.colo.nbd.protocol.ServerGreeting;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.CumulativeProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.apache.mina.filter.codec.ProtocolDecoderOutput;

/**
 * Client-side decoder of everything a server sends, one message per {@code true}: {@link ServerGreeting},
 * {@link OptionReply}, {@link ExportNameReply}, then {@code SimpleReply} and {@code StructuredReplyChunk}.
 * The phase lives in the session's {@link DecodeState} (attribute {@link #STATE}); one instance serves
 * every session.
 */
public final class ReplyDecoder extends CumulativeProtocolDecoder {
    /** The session's {@link DecodeState}; set when the session is created. */
    static final AttributeKey STATE = new AttributeKey(ReplyDecoder.class, "state");

    private final int maxPayloadBytes;

    public ReplyDecoder(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Installs the decode state for a new session. */
    public static void install(IoSession session, ClientWire.SimpleReplyPayload payloads) {
        session.setAttribute(STATE, new DecodeState(payloads));
    }

    static DecodeState stateOf(IoSession session) {
        return (DecodeState) session.getAttribute(STATE);
    }

    @Override
    protected boolean doDecode(IoSession session, IoBuffer in, ProtocolDecoderOutput out) throws Exception {
        DecodeState state = stateOf(session);
        if (state == null) {
            throw new ProtocolDecoderException("no decode state on session " + session.getId());
        }
        Object message;
        try {
            message = switch (state.phase) {
                case GREETING -> ClientWire.decodeGreeting(in.buf());
                case OPTION_REPLY -> ClientWire.decodeOptionReply(in.buf(), NbdConstants.MAX_OPTION_BYTES);
                case EXPORT_NAME_REPLY -> ClientWire.decodeExportNameReply(in.buf(), state.noZeroes);
                case TRANSMISSION -> ClientWire.decodeReply(in.buf(), state.payloads, maxPayloadBytes);
            };
        } catch (dev.colo.nbd.protocol.NbdProtocolException e) {
            in.position(in.limit());
            throw new ProtocolDecoderException(e.getMessage());
        }
        if (message == null) {
            return false;
        }
        if (message instanceof ServerGreeting) {
            state.phase = DecodePhase.OPTION_REPLY;
        } else if (message instanceof ExportNameReply) {
            state.phase = DecodePhase.TRANSMISSION;
        } else if (message instanceof OptionReply reply && reply.option() == NbdOption.GO.wireValue()
                && reply.type() == NbdOptionReply.ACK) {
            state.phase = DecodePhase.TRANSMISSION;
        }
        out.write(message);
        return true;
    }
}
