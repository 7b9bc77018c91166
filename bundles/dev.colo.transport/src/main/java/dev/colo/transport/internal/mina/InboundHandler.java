package dev.colo.transport.internal.mina;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.NodeId;
import dev.colo.api.transport.PeerMessage;
import dev.colo.transport.internal.Direction;
import dev.colo.transport.internal.LinkContext;
import dev.colo.transport.internal.frame.Frame;
import dev.colo.transport.internal.frame.FrameException;
import dev.colo.transport.internal.frame.FrameKind;
import dev.colo.transport.internal.frame.Greeting;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.session.IoSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepted connections: the peer's messages arrive here. A connection counts once its HELLO names the
 * node of its certificate; until then any failure refuses the peer.
 */
final class InboundHandler extends PeerSessionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(InboundHandler.class);

    InboundHandler(LinkContext link, ScheduledExecutorService scheduler) {
        super(link, Direction.INBOUND, scheduler);
    }

    @Override
    protected void onFrame(IoSession session, Frame frame) throws FrameException {
        if (frame.kind() == FrameKind.HELLO) {
            accept(session, Greeting.parse(frame.payload()));
        } else {
            Greeting peer = Sessions.greeting(session);
            link.dispatcher().dispatch(new PeerMessage(peer.nodeId(), peer.channel(), frame.type(), frame.payload()));
        }
    }

    private void accept(IoSession session, Greeting hello) throws FrameException {
        NodeId certified = Sessions.certifiedPeer(session);
        if (!hello.nodeId().equals(certified)) {
            throw new FrameException(ColoErrorCode.PEER_UNTRUSTED,
                    "HELLO names node '" + hello.nodeId() + "' but its certificate names '" + certified + "'");
        }
        session.setAttribute(SessionKeys.GREETING, hello);
        session.write(Frame.welcome(new Greeting(link.settings().nodeId(), hello.channel())));
        Object replaced = link.status().connectionUp(Direction.INBOUND, hello.channel(), session, hello.nodeId(),
                "inbound " + hello.channel() + " from " + hello.nodeId() + " accepted");
        if (replaced != null) {
            LOG.info("{} replaced by the peer's newer {} connection", Sessions.describe((IoSession) replaced),
                    hello.channel());
            ((IoSession) replaced).closeNow();
        }
    }

    @Override
    protected void onFailure(IoSession session, SessionFailure failure) {
        if (Sessions.greeting(session) == null && failure.refusesPeer()) {
            link.reporter().peerRefused(Sessions.remote(session), failure.error());
        } else if (failure.kind() == SessionFailure.Kind.IO) {
            LOG.info("Inbound {} broke: {}", Sessions.describe(session), failure.description());
        } else {
            LOG.warn("Inbound {} closed: {}", Sessions.describe(session), failure.description());
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        Greeting peer = Sessions.greeting(session);
        if (peer != null) {
            link.status().connectionDown(Direction.INBOUND, peer.channel(), session,
                    "inbound " + peer.channel() + " from " + peer.nodeId() + " closed");
        }
        LOG.debug("Inbound {} closed", Sessions.describe(session));
    }
}
