package dev.colo.transport.internal.mina;

import dev.colo.api.ColoErrorCode;
import dev.colo.transport.internal.Direction;
import dev.colo.transport.internal.LinkContext;
import dev.colo.transport.internal.ProtocolRules;
import dev.colo.transport.internal.frame.Frame;
import dev.colo.transport.internal.frame.FrameException;
import dev.colo.transport.internal.frame.FrameKind;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both ends of a connection have in common: the greeting deadline, counting and validating received
 * frames against {@link ProtocolRules}, GOODBYE, and turning every error into one {@link SessionFailure}
 * that closes this session only.
 */
abstract class PeerSessionHandler extends IoHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PeerSessionHandler.class);

    protected final LinkContext link;
    private final Direction direction;
    private final ScheduledExecutorService scheduler;

    PeerSessionHandler(LinkContext link, Direction direction, ScheduledExecutorService scheduler) {
        this.link = link;
        this.direction = direction;
        this.scheduler = scheduler;
    }

    /** TLS is up on a session (the peer's certificate was accepted). */
    protected void onSecured(IoSession session) {
    }

    /** A frame that {@link ProtocolRules} allows here, other than GOODBYE. */
    protected abstract void onFrame(IoSession session, Frame frame) throws FrameException;

    /** The session failed and is about to be closed; report it. */
    protected abstract void onFailure(IoSession session, SessionFailure failure);

    @Override
    public void sessionOpened(IoSession session) {
        LOG.debug("{} {} opened", direction, Sessions.describe(session));
        long timeoutMs = link.greetingTimeoutMs();
        try {
            scheduler.schedule(() -> checkGreeted(session, timeoutMs), timeoutMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            session.closeNow(); // shutting down
        }
    }

    private void checkGreeted(IoSession session, long timeoutMs) {
        if (session.isConnected() && Sessions.greeting(session) == null) {
            fail(session, SessionFailure.framing(new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION,
                    "no TLS handshake and greeting within " + timeoutMs + " ms"), Sessions.remote(session)));
        }
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        if (event == SslEvent.SECURED) {
            LOG.debug("{} {} secured", direction, Sessions.describe(session));
            onSecured(session);
        }
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        Frame frame = (Frame) message;
        link.counters().frameReceived(frame.payload().length);
        LOG.debug("{} {} received {}", direction, Sessions.describe(session), frame);
        try {
            boolean greeted = Sessions.greeting(session) != null;
            if (!ProtocolRules.mayReceive(direction, greeted, frame.kind())) {
                throw new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION,
                        frame.kind() + " frame on an " + direction + " connection " + (greeted ? "after" : "before")
                                + " the greeting");
            }
            if (frame.kind() == FrameKind.GOODBYE) {
                LOG.info("{} {} closed by the peer (GOODBYE)", direction, Sessions.describe(session));
                session.closeNow();
            } else {
                onFrame(session, frame);
            }
        } catch (FrameException e) {
            fail(session, SessionFailure.framing(e, Sessions.remote(session)));
        }
    }

    @Override
    public void messageSent(IoSession session, Object message) {
        if (message instanceof Frame frame) {
            link.counters().frameSent(frame.payload().length);
            LOG.debug("{} {} sent {}", direction, Sessions.describe(session), frame);
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        fail(session, SessionFailure.classify(cause, Sessions.remote(session)));
    }

    /**
     * Reports the first failure of a session and closes it. Later failures are echoes of the first, and
     * I/O errors of a session we are closing anyway (a write racing the close) are expected.
     */
    protected final void fail(IoSession session, SessionFailure failure) {
        boolean closing = session.isClosing();
        if (closing && failure.kind() == SessionFailure.Kind.IO) {
            LOG.debug("{} {} closing: {}", direction, Sessions.describe(session), failure.description());
        } else if (session.setAttributeIfAbsent(SessionKeys.FAILED, Boolean.TRUE) == null) {
            if (failure.kind() == SessionFailure.Kind.FRAMING) {
                link.counters().protocolError();
            }
            if (failure.kind() == SessionFailure.Kind.INTERNAL) {
                LOG.error("{} {} failed unexpectedly", direction, Sessions.describe(session), failure.cause());
            }
            onFailure(session, failure);
        }
        session.closeNow();
    }
}
