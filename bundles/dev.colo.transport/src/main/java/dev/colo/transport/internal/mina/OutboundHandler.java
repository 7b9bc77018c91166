package dev.colo.transport.internal.mina;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.NodeId;
import dev.colo.api.transport.LinkChannel;
import dev.colo.transport.internal.Direction;
import dev.colo.transport.internal.LinkContext;
import dev.colo.transport.internal.frame.Frame;
import dev.colo.transport.internal.frame.FrameException;
import dev.colo.transport.internal.frame.Greeting;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.mina.core.session.IoSession;

/**
 * A connection we dialed for one channel: HELLO once TLS is up, then wait for the peer's WELCOME; after
 * that the connection carries our messages. Connection lifecycle belongs to the {@link PeerDialer}.
 */
final class OutboundHandler extends PeerSessionHandler {
    private final LinkChannel channel;
    private final PeerDialer dialer;

    OutboundHandler(LinkContext link, ScheduledExecutorService scheduler, LinkChannel channel, PeerDialer dialer) {
        super(link, Direction.OUTBOUND, scheduler);
        this.channel = channel;
        this.dialer = dialer;
    }

    @Override
    protected void onSecured(IoSession session) {
        session.write(Frame.hello(new Greeting(link.settings().nodeId(), channel)));
    }

    /** Only WELCOME gets here (see {@link dev.colo.transport.internal.ProtocolRules}). */
    @Override
    protected void onFrame(IoSession session, Frame frame) throws FrameException {
        Greeting welcome = Greeting.parse(frame.payload());
        NodeId certified = Sessions.certifiedPeer(session);
        if (!welcome.nodeId().equals(certified)) {
            throw new FrameException(ColoErrorCode.PEER_UNTRUSTED,
                    "WELCOME names node '" + welcome.nodeId() + "' but its certificate names '" + certified + "'");
        }
        if (welcome.channel() != channel) {
            throw new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION,
                    "WELCOME for channel " + welcome.channel() + " on the " + channel + " connection");
        }
        session.setAttribute(SessionKeys.GREETING, welcome);
        dialer.established(session, welcome.nodeId());
    }

    @Override
    protected void onFailure(IoSession session, SessionFailure failure) {
        dialer.failed(session, failure);
    }

    @Override
    public void sessionClosed(IoSession session) {
        dialer.closed(session);
    }
}
