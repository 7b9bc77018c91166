package dev.colo.proxy.internal.mina;

import java.util.EnumSet;
import java.util.Set;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * Why a session is not read: it is read again only once every reason is gone, so that one reason's end (the
 * peer link drained) does not undo another (a client that does not read).
 */
final class ReadGate {
    private static final AttributeKey GATE = new AttributeKey(ReadGate.class, "gate");

    /** A reason for not reading a session. */
    enum Reason {
        /** A client's guest connection is not up yet. */
        CONNECTING,
        /** The client ended its input (a closed input stays readable: it would be read for ever). */
        INPUT_ENDED,
        /** Bytes for the peer beyond the backlog bound wait for the link. */
        PEER_LINK,
        /** The client does not read what its guest sent. */
        CLIENT_NOT_READING,
        /** The primary guest's held output is at the bound: its secondary is behind. */
        SECONDARY_BEHIND,
        /** The secondary guest is ahead of the primary's by the bound (the primary said pause). */
        PRIMARY_BEHIND
    }

    private final IoSession session;
    private final Set<Reason> reasons = EnumSet.noneOf(Reason.class);

    private ReadGate(IoSession session) {
        this.session = session;
    }

    static ReadGate of(IoSession session) {
        ReadGate gate = (ReadGate) session.getAttribute(GATE);
        if (gate == null) {
            ReadGate fresh = new ReadGate(session);
            gate = (ReadGate) session.setAttributeIfAbsent(GATE, fresh);
            if (gate == null) {
                gate = fresh;
            }
        }
        return gate;
    }

    synchronized void close(Reason reason) {
        if (reasons.add(reason) && reasons.size() == 1) {
            session.suspendRead();
        }
    }

    synchronized void open(Reason reason) {
        if (reasons.remove(reason) && reasons.isEmpty()) {
            session.resumeRead();
            wakeProcessor(session);
        }
    }

    /**
     * MINA 2.2 changes the selection key on resume but does not wake its selector, so reading would restart
     * only at the next event or after the selector's 1 s timeout; asking for a flush wakes it (with nothing to
     * write, the flush only clears the write interest).
     */
    @SuppressWarnings("unchecked")
    private static void wakeProcessor(IoSession session) {
        if (session instanceof AbstractIoSession io) {
            ((IoProcessor<AbstractIoSession>) io.getProcessor()).flush(io);
        }
    }

    synchronized boolean isClosedFor(Reason reason) {
        return reasons.contains(reason);
    }
}
