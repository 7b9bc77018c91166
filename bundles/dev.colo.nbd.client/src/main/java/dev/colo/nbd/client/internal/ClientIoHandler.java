package dev.colo.nbd.client.internal;

import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;

/** The connector's one handler: dispatches each session's events to its {@link Connection}. */
public final class ClientIoHandler extends IoHandlerAdapter {

    /** Attaches a connection to a session before its first event (use as the connect initializer). */
    public static void attach(IoSession session, Connection connection) {
        session.setAttribute(Connection.KEY, connection);
    }

    private static Connection of(IoSession session) {
        return (Connection) session.getAttribute(Connection.KEY);
    }

    @Override
    public void sessionCreated(IoSession session) {
        of(session).sessionCreated(session);
    }

    @Override
    public void sessionOpened(IoSession session) {
        of(session).sessionOpened(session);
    }

    @Override
    public void sessionClosed(IoSession session) {
        of(session).sessionClosed();
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        of(session).exceptionCaught(session, cause);
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        of(session).messageReceived(message);
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        of(session).event(event);
    }
}
