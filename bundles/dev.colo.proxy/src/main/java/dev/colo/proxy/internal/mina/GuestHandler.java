package dev.colo.proxy.internal.mina;

import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sessions to this node's guest: their output and their end go to the session's {@link GuestSink}. */
final class GuestHandler extends IoHandlerAdapter {
    static final AttributeKey SINK = new AttributeKey(GuestHandler.class, "sink");
    private static final Logger logger = LoggerFactory.getLogger(GuestHandler.class);

    @Override
    public void messageReceived(IoSession session, Object message) {
        GuestSink sink = (GuestSink) session.getAttribute(SINK);
        if (sink != null) {
            sink.output(((IoBuffer) message).buf());
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        GuestSink sink = (GuestSink) session.getAttribute(SINK);
        if (sink != null) {
            sink.ended();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        logger.debug("Guest session {}: {}", session.getRemoteAddress(), cause.toString());
        session.closeNow();
    }
}
