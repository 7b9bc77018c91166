package dev.colo.proxy.internal.secondary;

import dev.colo.proxy.internal.wire.Chunks;
import dev.colo.proxy.internal.wire.ProxyMessage;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One mirrored connection on the secondary (DESIGN §6): the primary's client input is injected into this
 * node's guest, and the guest's output is redirected to the primary, tagged with the epoch this node loaded;
 * nothing ever goes to a client. Network-free. Not thread-safe: one thread per connection.
 */
public final class SecondaryConnection {

    /** The connection to this node's guest. */
    public interface Guest {
        void send(ByteBuffer data);

        /** The client is gone: closes the guest's connection. */
        void close();

        /** The client ended its input but still reads: ends the guest's input, its output goes on. */
        void endInput();
    }

    private final String service;
    private final long id;
    private final Guest guest;
    private final Consumer<ProxyMessage> redirect;
    private final LongSupplier epoch;
    /** Bytes of output read from the guest so far. */
    private long outputRead;
    /** Where the output of the epoch before the last load ends (see {@link #loaded}). */
    private long oldOutputEnd;

    /**
     * @param redirect the peer link towards the primary's proxy
     * @param epoch    the checkpoint epoch this node loaded last
     */
    public SecondaryConnection(String service, long id, Guest guest, Consumer<ProxyMessage> redirect,
            LongSupplier epoch) {
        this.service = service;
        this.id = id;
        this.guest = guest;
        this.redirect = redirect;
        this.epoch = epoch;
    }

    public long id() {
        return id;
    }

    /** Mirrored client input. */
    public void input(ByteBuffer data) {
        guest.send(data);
    }

    /** The client's connection is gone. */
    public void clientClosed() {
        guest.close();
    }

    /** The client ended its input (a TCP half-close). */
    public void clientInputEnded() {
        guest.endInput();
    }

    /**
     * A checkpoint's state was loaded while the guest was paused, and the guest had produced {@code guestMark}
     * bytes of output for this connection by then: bytes up to there belong to the epoch before, even those read
     * from now on, and are not sent.
     */
    public void loaded(long guestMark) {
        oldOutputEnd = guestMark;
    }

    /** Output of this node's guest: to the primary, never to a client. */
    public void guestOutput(ByteBuffer data) {
        long old = Math.min(Math.max(0, oldOutputEnd - outputRead), data.remaining());
        outputRead += data.remaining();
        ByteBuffer current = data.slice(data.position() + (int) old, data.remaining() - (int) old);
        if (!current.hasRemaining()) {
            return;
        }
        long now = epoch.getAsLong();
        for (ByteBuffer chunk : Chunks.of(current)) {
            redirect.accept(new ProxyMessage.Output(service, id, now, chunk));
        }
    }

    /** This node's guest ended its output. */
    public void guestEnded() {
        redirect.accept(new ProxyMessage.End(service, id, epoch.getAsLong()));
    }
}
