package dev.colo.nbd.internal.mina;

import org.apache.mina.core.session.AttributeKey;

/** Keys of the attributes kept on each MINA session of the NBD server. */
final class SessionKeys {
    /** The connection's {@link DecodeState}. */
    static final AttributeKey DECODE_STATE = new AttributeKey(NbdDecoder.class, "state");
    /** The connection's {@link NbdConnection}. */
    static final AttributeKey CONNECTION = new AttributeKey(NbdServerIoHandler.class, "connection");

    private SessionKeys() {
    }

    static DecodeState decodeState(org.apache.mina.core.session.IoSession session) {
        DecodeState state = (DecodeState) session.getAttribute(DECODE_STATE);
        if (state == null) {
            state = new DecodeState();
            DecodeState raced = (DecodeState) session.setAttributeIfAbsent(DECODE_STATE, state);
            if (raced != null) {
                state = raced;
            }
        }
        return state;
    }
}
