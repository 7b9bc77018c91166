package dev.colo.nbd.internal.mina;

import dev.colo.nbd.internal.server.NbdExport;
import dev.colo.nbd.internal.server.OptionNegotiator;
import dev.colo.nbd.internal.server.TlsMode;
import dev.colo.nbd.protocol.Negotiated;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.core.session.AbstractIoSession;
import org.apache.mina.core.session.IoSession;

/**
 * One client connection: its negotiation, what it agreed on, its status and its requests in flight.
 * Reading is suspended while too many requests or bytes are in flight and resumed below half of that,
 * so a client cannot make the server buffer without bound.
 */
final class NbdConnection {
    /** Reading pauses at this many requests in flight (at least 64 must be possible). */
    static final int MAX_IN_FLIGHT_REQUESTS = 256;
    /** Reading pauses at this many payload bytes in flight (requests and replies). */
    static final long MAX_IN_FLIGHT_BYTES = 256L * 1024 * 1024;

    private final IoSession session;
    private final OptionNegotiator negotiator;
    private final AtomicReference<ConnectionStatus> status = new AtomicReference<>(ConnectionStatus.ACTIVE);
    private volatile Negotiated negotiated = Negotiated.NOTHING;
    private int inFlight;
    private long inFlightBytes;
    private boolean readSuspended;

    NbdConnection(IoSession session, NbdExport export) {
        this(session, export, TlsMode.NONE);
    }

    NbdConnection(IoSession session, NbdExport export, TlsMode tlsMode) {
        this.session = session;
        this.negotiator = new OptionNegotiator(export, tlsMode);
    }

    OptionNegotiator negotiator() {
        return negotiator;
    }

    Negotiated negotiated() {
        return negotiated;
    }

    void enterTransmission() {
        negotiated = negotiator.negotiated();
    }

    ConnectionStatus status() {
        return status.get();
    }

    /** Moves from ACTIVE to {@code next}; returns whether this call made the transition. */
    boolean leaveActive(ConnectionStatus next) {
        return status.compareAndSet(ConnectionStatus.ACTIVE, next);
    }

    void markDead() {
        status.set(ConnectionStatus.DEAD);
    }

    synchronized void started(long bytes) {
        inFlight++;
        inFlightBytes += bytes;
        if (!readSuspended && (inFlight >= MAX_IN_FLIGHT_REQUESTS || inFlightBytes >= MAX_IN_FLIGHT_BYTES)) {
            readSuspended = true;
            session.suspendRead();
        }
    }

    /** A reply was written (or failed to be); returns the number of requests still in flight. */
    synchronized int finished(long bytes) {
        inFlight--;
        inFlightBytes -= bytes;
        if (readSuspended && inFlight < MAX_IN_FLIGHT_REQUESTS / 2 && inFlightBytes < MAX_IN_FLIGHT_BYTES / 2) {
            readSuspended = false;
            session.resumeRead();
            // wakeProcessor();
        }
        return inFlight;
    }

    /**
     * MINA 2.2 changes the selection key on resume without waking its selector, so reading would restart only at
     * the next event or after the selector's 1 s timeout; a flush request wakes it (with nothing queued it only
     * clears the write interest). The proxy's read gate does the same.
     */
    @SuppressWarnings("unchecked")
    private void wakeProcessor() {
        if (session instanceof AbstractIoSession io) {
            ((IoProcessor<AbstractIoSession>) io.getProcessor()).flush(io);
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
