package dev.colo.transport.internal.mina;

import org.apache.mina.core.session.AttributeKey;

/** Keys of the attributes the transport keeps on each MINA session. */
final class SessionKeys {
    /** The session's {@link dev.colo.transport.internal.frame.FrameDecoder}, i.e. its decode state. */
    static final AttributeKey DECODER = new AttributeKey(PeerFrameDecoder.class, "decoder");
    /** The peer's accepted {@link dev.colo.transport.internal.frame.Greeting}; absent until then. */
    static final AttributeKey GREETING = new AttributeKey(PeerSessionHandler.class, "greeting");
    /** Present once the session failed; later errors on the same session are not reported again. */
    static final AttributeKey FAILED = new AttributeKey(PeerSessionHandler.class, "failed");

    private SessionKeys() {
    }
}
