package dev.colo.transport.internal.mina;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.ColoException;
import dev.colo.api.transport.LinkChannel;
import dev.colo.transport.internal.frame.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.session.IoSession;

/**
 * The frames waiting to be written on one established outbound session. Only a small window is handed
 * to MINA at a time: its TLS handler refuses more than 64 queued writes, and a window also keeps memory
 * for encrypted copies bounded. Frames are written in order, by one thread at a time, and never under
 * this queue's lock (MINA completes write futures while holding its own locks).
 */
final class OutboundQueue {
    /** Frames handed to MINA and not yet written; well under the TLS handler's limit of 64. */
    private static final int MAX_FRAMES_IN_FLIGHT = 16;
    /** Payload bytes handed to MINA and not yet written; one frame always goes, however large. */
    private static final long MAX_BYTES_IN_FLIGHT = 8L * 1024 * 1024;

    private record Pending(Frame frame, CompletableFuture<Void> written) {
    }

    private final IoSession session;
    private final LinkChannel channel;
    private final Deque<Pending> waiting = new ArrayDeque<>();
    private int framesInFlight;
    private long bytesInFlight;
    private boolean writing;
    private boolean closed;

    OutboundQueue(IoSession session, LinkChannel channel) {
        this.session = session;
        this.channel = channel;
    }

    IoSession session() {
        return session;
    }

    /** Completes when MINA wrote the frame to the socket; fails with LINK_DOWN if the session goes first. */
    CompletableFuture<Void> send(Frame frame) {
        Pending pending = new Pending(frame, new CompletableFuture<>());
        synchronized (this) {
            if (closed) {
                pending.written().completeExceptionally(linkDown(frame, null));
                return pending.written();
            }
            waiting.add(pending);
        }
        drain();
        return pending.written();
    }

    /** Fails every frame not yet handed to MINA; those in flight fail with the session's close. */
    void close() {
        List<Pending> dropped;
        synchronized (this) {
            closed = true;
            dropped = new ArrayList<>(waiting);
            waiting.clear();
        }
        dropped.forEach(pending -> pending.written().completeExceptionally(linkDown(pending.frame(), null)));
    }

    private void drain() {
        while (true) {
            Pending next;
            synchronized (this) {
                if (writing || closed || waiting.isEmpty() || windowFull()) {
                    return;
                }
                writing = true;
                next = waiting.poll();
                framesInFlight++;
                bytesInFlight += next.frame().payload().length;
            }
            try {
                session.write(next.frame()).addListener(future -> written(next, (WriteFuture) future));
            } finally {
                synchronized (this) {
                    writing = false;
                }
            }
        }
    }

    private boolean windowFull() {
        return framesInFlight >= MAX_FRAMES_IN_FLIGHT || (framesInFlight > 0 && bytesInFlight >= MAX_BYTES_IN_FLIGHT);
    }

    private void written(Pending pending, WriteFuture future) {
        synchronized (this) {
            framesInFlight--;
            bytesInFlight -= pending.frame().payload().length;
        }
        if (future.isWritten()) {
            pending.written().complete(null);
        } else {
            pending.written().completeExceptionally(linkDown(pending.frame(), future.getException()));
        }
        drain();
    }

    private ColoException linkDown(Frame frame, Throwable cause) {
        return cause == null ? new ColoException(ColoErrorCode.LINK_DOWN, channel, frame.type())
                : new ColoException(cause, ColoErrorCode.LINK_DOWN, channel, frame.type());
    }
}
