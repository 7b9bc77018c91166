package dev.colo.proxy.internal.mina;

import dev.colo.api.guest.ConnectionHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input of a guest session, which a client may end while it still wants the replies (TCP half-close):
 * the end is a FIN sent after every byte written before it, and the session stays open for the output.
 * MINA has no half-close of its own; its socket sessions expose their channel, whose output is shut down.
 */
final class GuestInput {
    private static final AttributeKey LAST_WRITE = new AttributeKey(GuestInput.class, "lastWrite");
    /** A UDP flow's header, which every datagram to its guest starts with. */
    private static final AttributeKey DATAGRAM_HEADER = new AttributeKey(GuestInput.class, "datagramHeader");
    private static final Logger logger = LoggerFactory.getLogger(GuestInput.class);

    private GuestInput() {
    }

    static void write(IoSession guest, ByteBuffer data) {
        byte[] header = (byte[]) guest.getAttribute(DATAGRAM_HEADER);
        if (header != null) {
            data = ByteBuffer.allocate(header.length + data.remaining()).put(header).put(data.duplicate()).flip();
        }
        guest.setAttribute(LAST_WRITE, guest.write(IoBuffer.wrap(data)));
    }

    /**
     * Tells a guest that follows an execution order which connection this is: a stream's first bytes, before any
     * input; the start of each of a UDP flow's datagrams.
     */
    static void announce(IoSession guest, ConnectionHeader header) {
        if (header.datagram()) {
            guest.setAttribute(DATAGRAM_HEADER, header.encode());
        } else {
            write(guest, ByteBuffer.wrap(header.encode()));
        }
    }

    /** Ends the guest's input once what was written is sent (a UDP flow's session is closed instead). */
    static void end(IoSession guest) {
        WriteFuture last = (WriteFuture) guest.getAttribute(LAST_WRITE);
        if (last == null) {
            shutdownOutput(guest);
        } else {
            last.addListener(written -> shutdownOutput(guest));
        }
    }

    private static void shutdownOutput(IoSession guest) {
        if (!(guest instanceof NioSession nio && nio.getChannel() instanceof SocketChannel socket)) {
            guest.closeOnFlush();
            return;
        }
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            logger.debug("Guest session {}: ending its input failed ({}); closing it", guest.getRemoteAddress(),
                    e.toString());
            guest.closeNow();
        }
    }
}
